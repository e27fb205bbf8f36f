# SPDX-License-Identifier: Apache-2.0
# Test sources of the graph module, one list per area (paths relative to tests/).
list(APPEND moegnn_graph_test_sources
  graph/builder_test.cpp
  graph/generators_test.cpp)
