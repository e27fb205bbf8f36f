// SPDX-License-Identifier: Apache-2.0
// SDDMM and edge softmax on CUDA (see edge.h). A row's edges are contiguous in the nnz × H layout,
// so the per-row passes of the CPU kernels become one thread per (row, head) walking the row in
// order (edge softmax, edge sums: the same order of additions as the CPU) or one warp per row
// (SDDMM: lanes split each dot product, reduced by a fixed butterfly).
#include <cmath>

#include "layers/ops/cuda/edge.h"
#include "layers/ops/cuda/rows.cuh"

namespace moegnn::ops::cuda {
namespace {

using detail::kWarp;

__global__ void dot_rows(graph::CsrView a, const float* dst, const float* src, long long width,
                         long long heads, bool mean, bool accumulate, float* out) {
  const int lane = detail::lane();
  const long long channels = width / heads;
  for (long long i = detail::global_warp(); i < a.num_rows; i += detail::warp_stride()) {
    const long long b = a.row_ptr[i];
    const long long e = a.row_ptr[i + 1];
    const float scale = mean && e > b ? 1.0f / static_cast<float>(e - b) : 1.0f;
    const float* di = dst + i * width;
    for (long long k = b; k < e; ++k) {
      const float* sj = src + static_cast<long long>(a.col_idx[k]) * width;
      for (long long h = 0; h < heads; ++h) {
        float partial = 0.0f;
        for (long long c = h * channels + lane; c < (h + 1) * channels; c += kWarp)
          partial += di[c] * sj[c];
        const float dot = detail::warp_sum(partial);  // every lane takes part (warp-uniform loop)
        if (lane == 0) {
          float* o = out + k * heads + h;
          *o = accumulate ? *o + scale * dot : scale * dot;
        }
      }
    }
  }
}

__global__ void add_rows(graph::CsrView a, const float* dst, const float* src, long long heads,
                         float* out) {
  const int lane = detail::lane();
  for (long long i = detail::global_warp(); i < a.num_rows; i += detail::warp_stride()) {
    const long long b = a.row_ptr[i];
    const long long pairs = (a.row_ptr[i + 1] - b) * heads;
    for (long long p = lane; p < pairs; p += kWarp) {
      const long long k = b + p / heads;
      const long long h = p % heads;
      out[k * heads + h] =
          dst[i * heads + h] + src[static_cast<long long>(a.col_idx[k]) * heads + h];
    }
  }
}

__global__ void rows_sum(graph::CsrView a, const graph::EdgeId* perm, const float* g,
                         long long heads, float* grad) {
  const long long count = a.num_rows * heads;
  for (long long t = detail::global_thread(); t < count; t += detail::thread_stride()) {
    const long long r = t / heads;
    const long long h = t % heads;
    float acc = grad[t];
    for (long long k = a.row_ptr[r]; k < a.row_ptr[r + 1]; ++k)
      acc += g[(perm != nullptr ? perm[k] : k) * heads + h];
    grad[t] = acc;
  }
}

__global__ void softmax_rows(graph::CsrView a, const float* l, long long heads, float* s) {
  const long long count = a.num_rows * heads;
  for (long long t = detail::global_thread(); t < count; t += detail::thread_stride()) {
    const long long i = t / heads;
    const long long h = t % heads;
    const long long b = a.row_ptr[i];
    const long long e = a.row_ptr[i + 1];
    if (b == e) continue;
    float shift = l[b * heads + h];  // the row max (fmaxf skips NaN, as std::fmax on the CPU)
    for (long long k = b + 1; k < e; ++k) shift = fmaxf(shift, l[k * heads + h]);
    if (isinf(shift) && shift < 0.0f) shift = 0.0f;  // an all -inf row gives zeros
    float total = 0.0f;
    for (long long k = b; k < e; ++k) {
      const float v = expf(l[k * heads + h] - shift);
      s[k * heads + h] = v;
      total += v;
    }
    for (long long k = b; k < e; ++k)
      s[k * heads + h] = total > 0.0f ? s[k * heads + h] / total : 0.0f;
  }
}

__global__ void softmax_backward_rows(graph::CsrView a, const float* s, const float* g,
                                      long long heads, float* grad) {
  const long long count = a.num_rows * heads;
  for (long long t = detail::global_thread(); t < count; t += detail::thread_stride()) {
    const long long i = t / heads;
    const long long h = t % heads;
    const long long b = a.row_ptr[i];
    const long long e = a.row_ptr[i + 1];
    float inner = 0.0f;
    for (long long k = b; k < e; ++k) inner += s[k * heads + h] * g[k * heads + h];
    for (long long k = b; k < e; ++k) {
      const long long x = k * heads + h;
      grad[x] += s[x] * (g[x] - inner);
    }
  }
}

// Launch over count threads (count > 0) on the context stream.
moegnn::cuda::LaunchShape per_item(long long count) {
  return moegnn::cuda::elementwise_launch(count);
}

}  // namespace

void sddmm_dot(const graph::CsrView& a, const Tensor& dst, const Tensor& src, Index heads,
               bool mean, bool accumulate, Tensor& out) {
  if (a.num_edges == 0 || a.num_rows == 0) return;
  const moegnn::cuda::LaunchShape shape = detail::warp_launch(a.num_rows);
  dot_rows<<<shape.blocks, shape.threads, 0, detail::stream()>>>(
      a, dst.data(), src.data(), dst.cols(), heads, mean, accumulate, out.data());
  detail::check_launch();
}

void sddmm_add(const graph::CsrView& a, const Tensor& dst, const Tensor& src, Tensor& out) {
  if (a.num_edges == 0 || a.num_rows == 0 || dst.cols() == 0) return;
  const moegnn::cuda::LaunchShape shape = detail::warp_launch(a.num_rows);
  add_rows<<<shape.blocks, shape.threads, 0, detail::stream()>>>(a, dst.data(), src.data(),
                                                                 dst.cols(), out.data());
  detail::check_launch();
}

void edge_rows_sum(const graph::CsrView& a, const graph::EdgeId* perm, const Tensor& g,
                   Tensor& grad) {
  if (a.num_rows == 0 || g.cols() == 0) return;
  const moegnn::cuda::LaunchShape shape = per_item(a.num_rows * g.cols());
  rows_sum<<<shape.blocks, shape.threads, 0, detail::stream()>>>(a, perm, g.data(), g.cols(),
                                                                 grad.data());
  detail::check_launch();
}

void edge_softmax(const graph::CsrView& a, const Tensor& logits, Tensor& out) {
  if (a.num_rows == 0 || logits.cols() == 0) return;
  const moegnn::cuda::LaunchShape shape = per_item(a.num_rows * logits.cols());
  softmax_rows<<<shape.blocks, shape.threads, 0, detail::stream()>>>(a, logits.data(),
                                                                     logits.cols(), out.data());
  detail::check_launch();
}

void edge_softmax_backward(const graph::CsrView& a, const Tensor& s, const Tensor& g,
                           Tensor& grad) {
  if (a.num_rows == 0 || s.cols() == 0) return;
  const moegnn::cuda::LaunchShape shape = per_item(a.num_rows * s.cols());
  softmax_backward_rows<<<shape.blocks, shape.threads, 0, detail::stream()>>>(
      a, s.data(), g.data(), s.cols(), grad.data());
  detail::check_launch();
}

}  // namespace moegnn::ops::cuda
