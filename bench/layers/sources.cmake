# SPDX-License-Identifier: Apache-2.0
# Layers benchmark program (paths relative to bench/): message-passing kernels against a STREAM
# triad measured in the same run.
set(moegnn_bench_layers_sources
  layers/ops/spmm_bench.cpp
  layers/ops/block_spmm_bench.cpp
  layers/ops/message_passing_bench.cpp
  layers/ops/stream_triad.cpp)
# The CUDA SpMM benchmark (skips without a device) needs the CUDA kernels of moegnn::layers.
if(MOEGNN_WITH_CUDA)
  list(APPEND moegnn_bench_layers_sources layers/ops/spmm_cuda_bench.cpp)
endif()
