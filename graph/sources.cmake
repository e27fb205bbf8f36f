# SPDX-License-Identifier: Apache-2.0
target_sources(moegnn_graph PRIVATE
  boost_adapter.cpp
  builder.cpp
  common_neighbors.cpp
  detail/file_format.cpp
  detail/rows.cpp
  edge_list.cpp
  generators.cpp
  io.cpp
  negative_sampling.cpp
  normalize.cpp
  reorder.cpp
  sampler.cpp
  seed_batches.cpp
  graph_batch.cpp
  subgraph.cpp
  transform.cpp)
