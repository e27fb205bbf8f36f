# SPDX-License-Identifier: Apache-2.0
# Test sources of the layers module, one list per area (paths relative to tests/).
list(APPEND moegnn_layers_test_sources)
# layers (Linear, GCNConv, BatchNorm):
list(APPEND moegnn_layers_test_sources layers/linear_test.cpp layers/gcn_conv_test.cpp
  layers/batch_norm_test.cpp)
# layers/ops (message-passing kernels):
list(APPEND moegnn_layers_test_sources layers/ops/cn_aggregate_test.cpp layers/ops/spmm_test.cpp layers/ops/sddmm_test.cpp
  layers/ops/edge_softmax_test.cpp layers/ops/segment_test.cpp)
# layers (MLP, LayerNorm, SAGEConv, GATConv, GINConv, APPNP, JumpingKnowledge):
list(APPEND moegnn_layers_test_sources layers/layer_norm_test.cpp layers/mlp_test.cpp
  layers/sage_conv_test.cpp layers/gat_conv_test.cpp layers/gin_conv_test.cpp
  layers/appnp_test.cpp layers/jumping_knowledge_test.cpp)
# Global pooling (graph-level readout) and segment_max:
list(APPEND moegnn_layers_test_sources layers/pooling_test.cpp)
# Sheaf machinery (layers/sheaf) and the block SpMM op:
list(APPEND moegnn_layers_test_sources layers/ops/block_spmm_test.cpp
  layers/sheaf/restriction_maps_test.cpp layers/sheaf/sheaf_laplacian_test.cpp)
