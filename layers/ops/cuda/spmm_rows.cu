// SPDX-License-Identifier: Apache-2.0
// Our own SpMM kernels (see spmm_rows.h): one warp per destination row; each lane owns kPerLane
// features of a 32·kPerLane-wide column block (coalesced loads of an x row), walks the row's edges
// in order and writes its outputs once. Weight branches (values or 1, permutation, mean scaling)
// are warp-uniform runtime tests rather than template parameters, which keeps nvcc's compile time
// down at the price of a few predictable branches per edge.
#include <cstdint>

#include "layers/ops/cuda/rows.cuh"
#include "layers/ops/cuda/spmm_rows.h"

namespace moegnn::ops::cuda {
namespace {

using detail::edge_weight;
using detail::kWarp;

constexpr int kPerLane = 4;
constexpr long long kBlockWidth = static_cast<long long>(kWarp) * kPerLane;

struct Shape {
  long long width;     // F
  long long channels;  // F / heads
};

// The head of each of a lane's columns f0 + t·32 (one 64-bit division per column and row, not per
// edge).
__device__ inline void heads_of(long long f0, const Shape& s, long long (&head)[kPerLane]) {
#pragma unroll
  for (int t = 0; t < kPerLane; ++t) head[t] = (f0 + t * kWarp) / s.channels;
}

__global__ void sum_rows(graph::CsrView a, EdgeWeights w, const float* x, Shape s, bool mean,
                         bool accumulate, float* out) {
  const int lane = detail::lane();
  for (long long i = detail::global_warp(); i < a.num_rows; i += detail::warp_stride()) {
    const long long b = a.row_ptr[i];
    const long long e = a.row_ptr[i + 1];
    const float scale = mean && e > b ? 1.0f / static_cast<float>(e - b) : 1.0f;
    float* o = out + i * s.width;
    for (long long f0 = lane; f0 < s.width; f0 += kBlockWidth) {
      float acc[kPerLane] = {};
      long long head[kPerLane];
      heads_of(f0, s, head);
      for (long long k = b; k < e; ++k) {
        const long long j = a.col_idx[k];
        const float* xr = x + j * s.width;
#pragma unroll
        for (int t = 0; t < kPerLane; ++t) {
          const long long f = f0 + t * kWarp;
          if (f < s.width) acc[t] += edge_weight(w, k, head[t], j) * xr[f];
        }
      }
#pragma unroll
      for (int t = 0; t < kPerLane; ++t) {
        const long long f = f0 + t * kWarp;
        if (f < s.width) o[f] = accumulate ? o[f] + scale * acc[t] : acc[t] * scale;
      }
    }
  }
}

// Ties keep the first edge (strict >), as the CPU kernel does; empty rows give 0 and arg -1.
__global__ void max_rows(graph::CsrView a, EdgeWeights w, const float* x, Shape s, float* out,
                         std::int32_t* arg) {
  const int lane = detail::lane();
  for (long long i = detail::global_warp(); i < a.num_rows; i += detail::warp_stride()) {
    const long long b = a.row_ptr[i];
    const long long e = a.row_ptr[i + 1];
    for (long long f0 = lane; f0 < s.width; f0 += kBlockWidth) {
      float best[kPerLane];
      std::int32_t won[kPerLane];
#pragma unroll
      for (int t = 0; t < kPerLane; ++t) {
        best[t] = 0.0f;
        won[t] = -1;
      }
      long long head[kPerLane];
      heads_of(f0, s, head);
      for (long long k = b; k < e; ++k) {
        const long long j = a.col_idx[k];
        const float* xr = x + j * s.width;
        const auto local = static_cast<std::int32_t>(k - b);
#pragma unroll
        for (int t = 0; t < kPerLane; ++t) {
          const long long f = f0 + t * kWarp;
          if (f >= s.width) continue;
          const float v = edge_weight(w, k, head[t], j) * xr[f];
          if (k == b || v > best[t]) {
            best[t] = v;
            won[t] = local;
          }
        }
      }
#pragma unroll
      for (int t = 0; t < kPerLane; ++t) {
        const long long f = f0 + t * kWarp;
        if (f >= s.width) continue;
        out[i * s.width + f] = best[t];
        if (arg != nullptr) arg[i * s.width + f] = won[t];
      }
    }
  }
}

// One warp per row j of the transpose t (a source node of a): its edges k' come from the forward
// rows i = t.col_idx[k'] in ascending order; forward edge k = t_edge[k'] won (i, f) when
// arg[i, f] == k - row_ptr[i]. The lane's gradient starts from grad_x and adds in that order.
__global__ void max_backward_x_rows(graph::CsrView t, const graph::EdgeId* t_edge,
                                    const graph::EdgeId* row_ptr, EdgeWeights w,
                                    const std::int32_t* arg, const float* g, Shape s, float* gx) {
  const int lane = detail::lane();
  for (long long j = detail::global_warp(); j < t.num_rows; j += detail::warp_stride()) {
    const long long b = t.row_ptr[j];
    const long long e = t.row_ptr[j + 1];
    if (b == e) continue;
    float* o = gx + j * s.width;
    for (long long f0 = lane; f0 < s.width; f0 += kBlockWidth) {
      float acc[kPerLane];
#pragma unroll
      for (int q = 0; q < kPerLane; ++q) {
        const long long f = f0 + q * kWarp;
        acc[q] = f < s.width ? o[f] : 0.0f;
      }
      long long head[kPerLane];
      heads_of(f0, s, head);
      for (long long kt = b; kt < e; ++kt) {
        const long long k = t_edge[kt];
        const long long i = t.col_idx[kt];
        const auto local = static_cast<std::int32_t>(k - row_ptr[i]);
        const std::int32_t* ai = arg + i * s.width;
        const float* gi = g + i * s.width;
#pragma unroll
        for (int q = 0; q < kPerLane; ++q) {
          const long long f = f0 + q * kWarp;
          if (f < s.width && ai[f] == local) acc[q] += edge_weight(w, k, head[q], j) * gi[f];
        }
      }
#pragma unroll
      for (int q = 0; q < kPerLane; ++q) {
        const long long f = f0 + q * kWarp;
        if (f < s.width) o[f] = acc[q];
      }
    }
  }
}

// One warp per forward row i; lanes over the row's (edge, head) pairs, each summing its head's
// won columns in ascending f, as the CPU does.
__global__ void max_backward_weight_rows(graph::CsrView a, long long heads, const std::int32_t* arg,
                                         const float* x, const float* g, Shape s, float* gw) {
  const int lane = detail::lane();
  for (long long i = detail::global_warp(); i < a.num_rows; i += detail::warp_stride()) {
    const long long b = a.row_ptr[i];
    const long long pairs = (a.row_ptr[i + 1] - b) * heads;
    const std::int32_t* ai = arg + i * s.width;
    const float* gi = g + i * s.width;
    for (long long p = lane; p < pairs; p += kWarp) {
      const long long local = p / heads;
      const long long h = p % heads;
      const long long k = b + local;
      const float* xj = x + static_cast<long long>(a.col_idx[k]) * s.width;
      float acc = gw[k * heads + h];
      for (long long f = h * s.channels; f < (h + 1) * s.channels; ++f)
        if (ai[f] == local) acc += gi[f] * xj[f];
      gw[k * heads + h] = acc;
    }
  }
}

Shape shape_of(const Tensor& x, Index heads) {
  return {x.cols(), heads > 0 ? x.cols() / heads : 1};
}

}  // namespace

void spmm_sum_rows(const graph::CsrView& a, const EdgeWeights& w, const Tensor& x, bool mean,
                   bool accumulate, Tensor& out) {
  if (a.num_rows == 0 || x.cols() == 0) return;
  const moegnn::cuda::LaunchShape shape = detail::warp_launch(a.num_rows);
  sum_rows<<<shape.blocks, shape.threads, 0, detail::stream()>>>(
      a, w, x.data(), shape_of(x, w.heads), mean, accumulate, out.data());
  detail::check_launch();
}

void spmm_max(const graph::CsrView& a, const EdgeWeights& w, const Tensor& x, Tensor& out,
              std::int32_t* arg) {
  if (a.num_rows == 0 || x.cols() == 0) return;
  const moegnn::cuda::LaunchShape shape = detail::warp_launch(a.num_rows);
  max_rows<<<shape.blocks, shape.threads, 0, detail::stream()>>>(
      a, w, x.data(), shape_of(x, w.heads), out.data(), arg);
  detail::check_launch();
}

void spmm_max_backward_x(const graph::Csr& a, const EdgeWeights& w, const std::int32_t* arg,
                         const Tensor& grad_out, Tensor& grad_x) {
  if (a.num_edges() == 0 || grad_out.cols() == 0) return;
  const graph::Csr& t = a.transpose();
  const moegnn::cuda::LaunchShape shape = detail::warp_launch(t.num_rows());
  max_backward_x_rows<<<shape.blocks, shape.threads, 0, detail::stream()>>>(
      t.view(), a.transpose_edge_ids().data(), a.row_ptr().data(), w, arg, grad_out.data(),
      shape_of(grad_out, w.heads), grad_x.data());
  detail::check_launch();
}

void spmm_max_backward_weight(const graph::CsrView& a, Index heads, const std::int32_t* arg,
                              const Tensor& x, const Tensor& grad_out, Tensor& grad_w) {
  if (a.num_edges == 0 || a.num_rows == 0) return;
  const moegnn::cuda::LaunchShape shape = detail::warp_launch(a.num_rows);
  max_backward_weight_rows<<<shape.blocks, shape.threads, 0, detail::stream()>>>(
      a, heads, arg, x.data(), grad_out.data(), shape_of(grad_out, heads), grad_w.data());
  detail::check_launch();
}

}  // namespace moegnn::ops::cuda
