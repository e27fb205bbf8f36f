# SPDX-License-Identifier: Apache-2.0
# Message-passing ops: front ends (validation, dispatch, backward rules), CPU kernels, private helpers.
target_sources(moegnn_layers PRIVATE
  ops/cn_aggregate.cpp
  ops/edge_softmax.cpp
  ops/sddmm.cpp
  ops/segment.cpp
  ops/spmm.cpp
  ops/cpu/cn_aggregate.cpp
  ops/block_spmm.cpp
  ops/cpu/block_spmm.cpp
  ops/cpu/edge_softmax.cpp
  ops/cpu/sddmm.cpp
  ops/cpu/segment.cpp
  ops/cpu/spmm.cpp
  ops/detail/checks.cpp
  ops/detail/row_chunks.cpp)
# The CUDA kernels (cuSPARSE SpMM; our own SpMM rows, SDDMM / edge softmax and segment kernels)
# and the table that exports them go to the backend library libmoegnn_cuda.so
# (cmake/moegnn_cuda_backend.cmake); in a CUDA build this library holds the forwarders into it.
moegnn_add_cuda_backend_sources(ops/cuda/edge.cu ops/cuda/segment.cu ops/cuda/spmm.cu
                                ops/cuda/spmm_rows.cu ops/cuda/backend_export.cpp)
if(MOEGNN_WITH_CUDA)
  target_sources(moegnn_layers PRIVATE ops/cuda/backend_forward.cpp)
endif()
