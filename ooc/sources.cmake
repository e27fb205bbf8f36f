# SPDX-License-Identifier: Apache-2.0
# Out-of-core sources (paths relative to ooc/).
target_sources(moegnn_ooc PRIVATE
  direct_io.cpp
  detail/pread_engine.cpp
  feature_file.cpp
  hot_cache.cpp
  disk_store.cpp
  scan.cpp
  pool.cpp
  pack.cpp
  pack_open.cpp
  detail/manifest.cpp
  batch_features.cpp
  pipeline.cpp
  memory_limit.cpp)
