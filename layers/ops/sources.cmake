# SPDX-License-Identifier: Apache-2.0
# Message-passing ops: front ends (validation, dispatch, backward rules), CPU kernels, private helpers.
target_sources(moegnn_layers PRIVATE
  ops/edge_softmax.cpp
  ops/sddmm.cpp
  ops/segment.cpp
  ops/spmm.cpp
  ops/block_spmm.cpp
  ops/cpu/block_spmm.cpp
  ops/cpu/edge_softmax.cpp
  ops/cpu/sddmm.cpp
  ops/cpu/segment.cpp
  ops/cpu/spmm.cpp
  ops/detail/checks.cpp
  ops/detail/row_chunks.cpp)
# The CUDA kernels (cuSPARSE SpMM; our own SpMM rows, SDDMM / edge softmax and segment kernels),
# compiled only with MOEGNN_WITH_CUDA. Flags as core's CUDA sources
# (Eigen through core/types.h needs --expt-relaxed-constexpr under nvcc), plus an explicit -std=c++20:
# graph/csr.h reaches core/index_array.h (concepts), and CMake 3.25 records no cuda_std_20 feature
# for nvcc 13, so CMAKE_CUDA_STANDARD 20 silently falls back to nvcc's default, C++17.
if(MOEGNN_WITH_CUDA)
  target_sources(moegnn_layers PRIVATE ops/cuda/edge.cu ops/cuda/segment.cu ops/cuda/spmm.cu
                                       ops/cuda/spmm_rows.cu)
  target_link_libraries(moegnn_layers PRIVATE CUDA::cudart CUDA::cusparse)
  target_compile_options(moegnn_layers PRIVATE
    $<$<COMPILE_LANGUAGE:CUDA>:-std=c++20 --expt-relaxed-constexpr -Xcompiler=-Wall,-Wextra>
    $<$<AND:$<COMPILE_LANGUAGE:CUDA>,$<BOOL:${MOEGNN_WARNINGS_AS_ERRORS}>>:--Werror=all-warnings>)
endif()
