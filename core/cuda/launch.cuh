// SPDX-License-Identifier: Apache-2.0
// The one CUDA launch helper of the library (included only by .cu files, in core and in any
// module's cuda/ folder): the context's stream, grid-stride indices, the "fn(i) for every i" launch
// and the check after a hand-written launch. Kernels that need another shape (one warp per row)
// compute it with elementwise_launch (core/cuda/runtime.h) and launch on stream() themselves.
#pragma once

#include <cuda_runtime.h>

#include "core/cuda/check.h"
#include "core/cuda/context.h"
#include "core/cuda/runtime.h"

namespace moegnn::cuda {

// The stream every op of the current device runs on (core/cuda/context.h).
inline cudaStream_t stream() { return current_context().stream(); }

__device__ inline long long global_thread() {
  return static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
}
__device__ inline long long thread_stride() {
  return static_cast<long long>(gridDim.x) * blockDim.x;
}

template <typename Fn>
__global__ void for_each_element(long long count, Fn fn) {
  for (long long i = global_thread(); i < count; i += thread_stride()) fn(i);
}

// Throws CudaError when the launch just made failed.
inline void check_launch() { MOEGNN_CUDA_CHECK(cudaGetLastError()); }

// fn(i) for i in [0, count) on stream(). Functors rather than __device__ lambdas, so modules need
// no --extended-lambda.
template <typename Fn>
void launch(long long count, Fn fn) {
  if (count <= 0) return;
  const LaunchShape shape = elementwise_launch(count);
  for_each_element<<<shape.blocks, shape.threads, 0, stream()>>>(count, fn);
  check_launch();
}

}  // namespace moegnn::cuda
