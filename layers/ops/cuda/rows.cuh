// SPDX-License-Identifier: Apache-2.0
// Device helpers shared by the message-passing kernels of layers/ops/cuda (included only by .cu
// files): launch shapes for "one warp per row" and "one thread per item" grid-stride loops, and the
// per-edge weight read on the device. Every output element is written by one thread that visits
// its inputs in a fixed order, so results are deterministic (no float atomics anywhere).
#pragma once

#include <cuda_runtime.h>

#include "core/cuda/check.h"
#include "core/cuda/context.h"
#include "core/cuda/launch.cuh"
#include "layers/ops/cuda/spmm_rows.h"

namespace moegnn::ops::cuda::detail {

inline constexpr int kWarp = 32;

// Grid-stride launch with `count` warps (count > 0); each warp takes rows warp, warp + stride, ...
inline moegnn::cuda::LaunchShape warp_launch(long long count) {
  return moegnn::cuda::elementwise_launch(count * kWarp);
}

using moegnn::cuda::global_thread;
using moegnn::cuda::thread_stride;
__device__ inline long long global_warp() { return global_thread() / kWarp; }
__device__ inline long long warp_stride() { return thread_stride() / kWarp; }
__device__ inline int lane() { return static_cast<int>(threadIdx.x % kWarp); }

// Σ of v over the warp by a fixed butterfly: the same bits on every run; every lane gets the sum.
__device__ inline float warp_sum(float v) {
  for (int offset = kWarp / 2; offset > 0; offset /= 2)
    v += __shfl_xor_sync(0xffffffffu, v, offset);
  return v;
}

// The weight of edge k for head h (see EdgeWeights), col the edge's column id. Mirrors the CPU
// functors: values[perm[k]·heads + h] (or 1), times 1 / deg of the forward row `col` when
// column_mean_row_ptr is set (0 for an empty one).
__device__ inline float edge_weight(const EdgeWeights& w, long long k, long long h, long long col) {
  float v = 1.0f;
  if (w.values != nullptr) v = w.values[(w.perm != nullptr ? w.perm[k] : k) * w.heads + h];
  if (w.column_mean_row_ptr != nullptr) {
    const long long degree = w.column_mean_row_ptr[col + 1] - w.column_mean_row_ptr[col];
    v *= degree > 0 ? 1.0f / static_cast<float>(degree) : 0.0f;
  }
  return v;
}

using moegnn::cuda::check_launch;
using moegnn::cuda::stream;

}  // namespace moegnn::ops::cuda::detail
