# SPDX-License-Identifier: Apache-2.0
# Graph benchmark program (paths relative to bench/): neighbour and negative sampling, construction
# and file loading at ogbn-arxiv scale.
set(moegnn_bench_graph_sources
  graph/builder_bench.cpp
  graph/common_neighbors_bench.cpp
  graph/sampling_bench.cpp)
