# SPDX-License-Identifier: Apache-2.0
# Test sources of the graph module, one list per area (paths relative to tests/).
list(APPEND moegnn_graph_test_sources
  graph/boost_adapter_test.cpp
  graph/builder_test.cpp
  graph/common_neighbors_test.cpp
  graph/csr_test.cpp
  graph/graph_batch_test.cpp
  graph/generators_test.cpp
  graph/io_test.cpp
  graph/negative_sampling_test.cpp
  graph/normalize_test.cpp
  graph/reorder_test.cpp
  graph/sampler_test.cpp
  graph/subgraph_test.cpp
  graph/transform_test.cpp)
