# SPDX-License-Identifier: Apache-2.0
# Format readers, the moegnn::datasets_io library (paths relative to datasets/).
target_sources(moegnn_datasets_io PRIVATE
  io/file.cpp
  io/npy_array.cpp
  io/npy.cpp
  io/zip_archive.cpp
  io/npz.cpp
  io/py_value.cpp
  io/pickle.cpp
  io/pickle_ops.cpp
  io/pickle_text.cpp
  io/pickle_calls.cpp
  io/py_convert.cpp
  io/torch_legacy.cpp
  io/csv.cpp
  io/text_table.cpp
  io/mat.cpp
  io/mat_element.cpp
  io/mat_check.cpp
  io/mat_convert.cpp)
