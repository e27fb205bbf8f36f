# SPDX-License-Identifier: Apache-2.0
# Tests of the format readers (paths relative to tests/).
list(APPEND moegnn_datasets_test_sources
  datasets/io/npy_test.cpp
  datasets/io/npz_test.cpp
  datasets/io/pickle_test.cpp
  datasets/io/py_convert_test.cpp
  datasets/io/torch_legacy_test.cpp
  datasets/io/csv_test.cpp
  datasets/io/text_table_test.cpp
  datasets/io/mat_test.cpp
  datasets/io/bomb_test.cpp)
