// SPDX-License-Identifier: Apache-2.0
// Segment reductions on CUDA (see segment.h): one warp per segment, lanes over columns, the
// segment's rows visited in order by each lane, so each output has one writer and the CPU's order
// of additions; the broadcast writes each gradient row once (segments do not overlap).
#include "layers/ops/cuda/rows.cuh"
#include "layers/ops/cuda/segment.h"

namespace moegnn::ops::cuda {
namespace {

using detail::kWarp;

__device__ inline float segment_scale(const graph::EdgeId* offsets, long long s, bool mean) {
  const long long length = offsets[s + 1] - offsets[s];
  if (!mean) return 1.0f;
  return length > 0 ? 1.0f / static_cast<float>(length) : 0.0f;
}

__global__ void reduce_segments(const graph::EdgeId* offsets, long long segments, const float* x,
                                long long width, bool mean, float* out) {
  for (long long s = detail::global_warp(); s < segments; s += detail::warp_stride()) {
    const float scale = segment_scale(offsets, s, mean);
    for (long long f = detail::lane(); f < width; f += kWarp) {
      float acc = 0.0f;
      for (long long r = offsets[s]; r < offsets[s + 1]; ++r) acc += x[r * width + f];
      out[s * width + f] = acc * scale;
    }
  }
}

__global__ void broadcast_segments(const graph::EdgeId* offsets, long long segments, const float* g,
                                   long long width, bool mean, float* gx) {
  for (long long s = detail::global_warp(); s < segments; s += detail::warp_stride()) {
    const float scale = segment_scale(offsets, s, mean);
    for (long long f = detail::lane(); f < width; f += kWarp) {
      const float v = scale * g[s * width + f];
      for (long long r = offsets[s]; r < offsets[s + 1]; ++r) gx[r * width + f] += v;
    }
  }
}

}  // namespace

void segment_reduce(const graph::EdgeId* offsets, Index num_segments, const Tensor& x, bool mean,
                    Tensor& out) {
  if (num_segments == 0 || x.cols() == 0) return;
  const moegnn::cuda::LaunchShape shape = detail::warp_launch(num_segments);
  reduce_segments<<<shape.blocks, shape.threads, 0, detail::stream()>>>(
      offsets, num_segments, x.data(), x.cols(), mean, out.data());
  detail::check_launch();
}

void segment_broadcast(const graph::EdgeId* offsets, Index num_segments, const Tensor& grad_out,
                       bool mean, Tensor& grad_x) {
  if (num_segments == 0 || grad_out.cols() == 0) return;
  const moegnn::cuda::LaunchShape shape = detail::warp_launch(num_segments);
  broadcast_segments<<<shape.blocks, shape.threads, 0, detail::stream()>>>(
      offsets, num_segments, grad_out.data(), grad_out.cols(), mean, grad_x.data());
  detail::check_launch();
}

}  // namespace moegnn::ops::cuda
