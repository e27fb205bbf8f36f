# SPDX-License-Identifier: Apache-2.0
# Dataset types and generators (paths relative to datasets/); io/ keeps its own list.
target_sources(moegnn_datasets PRIVATE
  node_dataset.cpp
  split.cpp
  homophily.cpp
  csbm.cpp
  data_dir.cpp
  sha256.cpp
  download.cpp
  class_split.cpp
  planetoid.cpp
  geom_gcn.cpp
  gnn_benchmark.cpp
  ogb_node.cpp
  ogb_link.cpp
  link_dataset.cpp
  ratings_dataset.cpp
  ratings_split.cpp
  ratings_table.cpp
  interactions.cpp
  movielens.cpp
  binary_cache.cpp
  linkx.cpp
  linkx_twitch.cpp
  registry.cpp
  powerlaw.cpp
  ratings_generator.cpp
  detail/atomic_file.cpp
  detail/container.cpp
  detail/digest_cache.cpp
  detail/digests.cpp
  detail/loader_util.cpp
  detail/ogb_common.cpp
  detail/registry_entries.cpp)
