# SPDX-License-Identifier: Apache-2.0
# Distributed-training sources (paths relative to dist/).
target_sources(moegnn_dist PRIVATE
  part.cpp
  part_io.cpp
  partition.cpp
  detail/array_file.cpp)
# Communicator, halo exchange and distributed training (issue 22, part 2).
target_sources(moegnn_dist PRIVATE
  comm.cpp
  halo.cpp
  train.cpp
  sampler.cpp)
