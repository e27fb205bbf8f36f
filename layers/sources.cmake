# SPDX-License-Identifier: Apache-2.0
# Layers (paths relative to layers/); kernels in ops/ keep their own list in ops/sources.cmake.
target_sources(moegnn_layers PRIVATE
  init.cpp
  linear.cpp
  gcn_conv.cpp
  batch_norm.cpp)
# MLP, LayerNorm, SAGEConv, GATConv, GINConv, APPNP, JumpingKnowledge and their shared helpers:
target_sources(moegnn_layers PRIVATE activation.cpp layer_norm.cpp mlp.cpp sage_conv.cpp
  gat_conv.cpp gin_conv.cpp appnp.cpp jumping_knowledge.cpp detail/message_passing.cpp)
# Global pooling (graph-level readout):
target_sources(moegnn_layers PRIVATE pooling.cpp)
# Sheaf machinery (Neural Sheaf Diffusion, Sheaf4Rec): pattern, learners, maps, Laplacians.
target_sources(moegnn_layers PRIVATE sheaf/block_matrix.cpp sheaf/restriction_maps.cpp
  sheaf/sheaf_pattern.cpp sheaf/sheaf_laplacian.cpp sheaf/sheaf_learner.cpp)
