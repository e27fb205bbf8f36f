# SPDX-License-Identifier: Apache-2.0
# Test sources of the datasets module, one list per area (paths relative to tests/).
list(APPEND moegnn_datasets_test_sources datasets/csbm_test.cpp datasets/homophily_test.cpp
  datasets/split_test.cpp)
include(${CMAKE_CURRENT_LIST_DIR}/io/sources.cmake)
