# SPDX-License-Identifier: Apache-2.0
# Layers (paths relative to layers/); kernels in ops/ keep their own list in ops/sources.cmake.
target_sources(moegnn_layers PRIVATE
  init.cpp
  linear.cpp
  gcn_conv.cpp
  batch_norm.cpp)
