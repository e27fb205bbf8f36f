# SPDX-License-Identifier: Apache-2.0
# Dataset types and generators (paths relative to datasets/); io/ keeps its own list.
target_sources(moegnn_datasets PRIVATE
  node_dataset.cpp
  split.cpp
  homophily.cpp
  csbm.cpp)
