# SPDX-License-Identifier: Apache-2.0
# Test sources of the datasets module, one list per area (paths relative to tests/).
list(APPEND moegnn_datasets_test_sources datasets/csbm_test.cpp datasets/homophily_test.cpp
  datasets/split_test.cpp)
# Loaders, registry, downloads and the binary cache.
list(APPEND moegnn_datasets_test_sources
  datasets/planetoid_test.cpp
  datasets/geom_gcn_test.cpp
  datasets/gnn_benchmark_test.cpp
  datasets/heterophilous_test.cpp
  datasets/ogb_test.cpp
  datasets/movielens_test.cpp
  datasets/registry_test.cpp
  datasets/download_test.cpp
  datasets/binary_cache_test.cpp
  datasets/linkx_test.cpp
  datasets/linkx_twitch_e_test.cpp
  datasets/digest_cache_test.cpp
  datasets/corrupt_data_test.cpp)
# Graph-level datasets: TU format, OGB graph property layout, k-fold splits, random graphs.
list(APPEND moegnn_datasets_test_sources datasets/tu_test.cpp datasets/ogb_graph_test.cpp)
# Generators at scale: power-law graphs streamed to disk, bipartite ratings.
list(APPEND moegnn_datasets_test_sources datasets/powerlaw_test.cpp
  datasets/ratings_generator_test.cpp)
# Implicit-feedback recommendation data: ratings tables, thresholds, splits, cold-start filtering.
list(APPEND moegnn_datasets_test_sources datasets/interactions_test.cpp)
include(${CMAKE_CURRENT_LIST_DIR}/io/sources.cmake)
