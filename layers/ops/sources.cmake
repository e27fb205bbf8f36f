# SPDX-License-Identifier: Apache-2.0
# Message-passing ops: front ends (validation, dispatch, backward rules), CPU kernels, private helpers.
target_sources(moegnn_layers PRIVATE
  ops/edge_softmax.cpp
  ops/sddmm.cpp
  ops/segment.cpp
  ops/spmm.cpp
  ops/cpu/edge_softmax.cpp
  ops/cpu/sddmm.cpp
  ops/cpu/segment.cpp
  ops/cpu/spmm.cpp
  ops/detail/checks.cpp
  ops/detail/row_chunks.cpp)
