// SPDX-License-Identifier: Apache-2.0
// CPU GEMM for ops::matmul. Eigen's single-threaded GEMM runs on row blocks of the output spread
// over oneTBB; the blocks are fixed by the shape, so each block is the same Eigen call on any
// thread count and the result is bit-identical. Products with few output rows and a long inner
// dimension (weight gradients Xᵀ·dY over all nodes) are split along the inner dimension instead,
// into fixed chunks whose partial products are added in chunk order. Transposed operands enter as
// Eigen transpose views of the row-major maps, which GEMM's packing reads directly: nothing is
// materialised. Narrow products (a layer of <= 64 channels, its weight gradients) skip Eigen for
// register tiles that read the operands in place (below); only a small transposed right operand
// is copied, once per product.
#include "core/ops/cpu/linalg.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "core/ops/cpu/loops.h"
#include "core/parallel.h"

namespace moegnn::ops::cpu {
namespace {

constexpr double kSerialFlops = 4.0e6;  // below this one Eigen call on the calling thread wins
constexpr double kBlockFlops = 64.0e6;  // work per row block: B is re-packed once per block
constexpr Index kMinBlockRows = 32;
constexpr Index kTargetBlocks = 64;  // enough blocks to balance 16+ threads
constexpr Index kMinDepthChunk = 2048;
constexpr Index kMaxDepthChunks = 32;
constexpr Index kMaxPartialFloats = Index{1} << 24;  // 64 MB of partial products at most

Index ceil_div(Index a, Index b) { return (a + b - 1) / b; }
Index round_up(Index a, Index multiple) { return ceil_div(a, multiple) * multiple; }

// Narrow products: outputs at most kNarrowWidth wide with a short inner dimension (X·W and dY·Wᵀ
// of a layer with <= 64 channels), or weight gradients Xᵀ·dY whose output is at most 64 × 64. For
// these Eigen's GEMM spends more time packing operands (a full copy of X or dY) than multiplying;
// the register tiles below read them in place. Each output element is the sum over the inner index
// in order, so the result does not depend on how rows are split over threads.
using Vec = float __attribute__((vector_size(64)));
constexpr Index kLanes = 16;
constexpr Index kNarrowWidth = 64;   // output columns, and output rows of a left-transposed product
constexpr Index kNarrowDepth = 128;  // inner dimension of a product that is not left-transposed

inline Vec load_vec(const float* p) {
  Vec v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store_vec(float* p, Vec v) { std::memcpy(p, &v, sizeof v); }
// Every lane = *p: one broadcast load. (`Vec{} + x` adds 0 first, which the compiler must keep
// for x = -0; x - 0 is x for every x, so it folds to the broadcast.)
inline Vec splat(const float* p) { return *p - Vec{}; }

// A strided operand: element (r, t) at data[r * row_stride + t * depth_stride].
struct Strided {
  const float* data;
  Index row_stride;
  Index depth_stride;
};

// out[r, :n] (+)= Σ_t lhs(r, t) · rhs[t * rhs_stride + (0 .. V·16)] for R rows; rhs rows hold
// V·16 readable floats (zero past n when padded).
template <int R, int V>
void narrow_tile(Strided lhs, Index depth, const float* rhs, Index rhs_stride, float* out,
                 Index out_stride, Index n, bool accumulate) {
  Vec acc[R][V];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < V; ++v) acc[r][v] = Vec{};
  for (Index t = 0; t < depth; ++t) {
    Vec b[V];
#pragma GCC unroll 4
    for (int v = 0; v < V; ++v) b[v] = load_vec(rhs + t * rhs_stride + v * kLanes);
    const float* column = lhs.data + t * lhs.depth_stride;
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      const Vec x = splat(column + r * lhs.row_stride);
#pragma GCC unroll 4
      for (int v = 0; v < V; ++v) acc[r][v] += x * b[v];
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r) {
    float* o = out + r * out_stride;
    if (n == V * kLanes) {
#pragma GCC unroll 4
      for (int v = 0; v < V; ++v)
        store_vec(o + v * kLanes, accumulate ? load_vec(o + v * kLanes) + acc[r][v] : acc[r][v]);
    } else {
      float row[V * kLanes];
#pragma GCC unroll 4
      for (int v = 0; v < V; ++v) store_vec(row + v * kLanes, acc[r][v]);
      for (Index j = 0; j < n; ++j) o[j] = accumulate ? o[j] + row[j] : row[j];
    }
  }
}

template <int V>
void narrow_rows(Strided lhs, Index rows, Index depth, const float* rhs, Index rhs_stride,
                 float* out, Index out_stride, Index n, bool accumulate) {
  constexpr int kRows = V == 1 ? 8 : V == 2 ? 8 : 4;  // R·V accumulators: 8-16 registers
  Index r = 0;
  for (; r + kRows <= rows; r += kRows) {
    const Strided tile{lhs.data + r * lhs.row_stride, lhs.row_stride, lhs.depth_stride};
    narrow_tile<kRows, V>(tile, depth, rhs, rhs_stride, out + r * out_stride, out_stride, n,
                          accumulate);
  }
  for (; r < rows; ++r) {
    const Strided one{lhs.data + r * lhs.row_stride, lhs.row_stride, lhs.depth_stride};
    narrow_tile<1, V>(one, depth, rhs, rhs_stride, out + r * out_stride, out_stride, n, accumulate);
  }
}

// out (+)= lhs · rhs with lhs rows × depth (strided) and rhs(t, j) = rhs_at(t, j), depth × n,
// n <= kNarrowWidth. rhs is read in place when it is row-major with a multiple of 16 columns,
// else copied once into a zero-padded panel.
template <typename RhsAt>
void narrow_product(Strided lhs, Index rows, Index depth, const float* rhs_rows,
                    Index rhs_row_stride, RhsAt rhs_at, float* out, Index out_stride, Index n,
                    bool accumulate) {
  const Index vectors = (n + kLanes - 1) / kLanes;
  const Index width = vectors * kLanes;
  std::vector<float> panel;
  const float* rhs = rhs_rows;
  Index stride = rhs_row_stride;
  if (rhs == nullptr || width != n) {
    panel.assign(static_cast<std::size_t>(depth * width), 0.0f);
    for (Index t = 0; t < depth; ++t)
      for (Index j = 0; j < n; ++j) panel[static_cast<std::size_t>(t * width + j)] = rhs_at(t, j);
    rhs = panel.data();
    stride = width;
  }
  switch (vectors) {
  case 1: narrow_rows<1>(lhs, rows, depth, rhs, stride, out, out_stride, n, accumulate); break;
  case 2: narrow_rows<2>(lhs, rows, depth, rhs, stride, out, out_stride, n, accumulate); break;
  case 3: narrow_rows<3>(lhs, rows, depth, rhs, stride, out, out_stride, n, accumulate); break;
  default: narrow_rows<4>(lhs, rows, depth, rhs, stride, out, out_stride, n, accumulate); break;
  }
}

// Whether gemm_slice takes the narrow kernels for an output of `rows` (all of them for a
// left-transposed product: its row blocks are the whole output) × n over `depth`.
template <bool kLeftT>
bool is_narrow(Index out_rows, Index n, Index depth) {
  if (n > kNarrowWidth) return false;
  return kLeftT ? out_rows <= kNarrowWidth : depth <= kNarrowDepth;
}

// out (+)= op(a)[rows lo.., inner k0..] · op(b)[inner k0.., :] for a `rows` × `depth` slice.
template <bool kLeftT, bool kRightT, typename Out>
void gemm_slice(const ConstMatrixMap& a, const ConstMatrixMap& b, Index lo, Index rows, Index k0,
                Index depth, Out out, bool accumulate) {
  const Index n = out.cols();
  const Index out_rows = kLeftT ? a.cols() : a.rows();
  if (is_narrow<kLeftT>(out_rows, n, depth)) {
    // op(a)(r, t): a[lo + r, k0 + t], or a[k0 + t, lo + r] when transposed.
    const Index lda = a.cols();
    const Strided lhs = kLeftT ? Strided{a.data() + k0 * lda + lo, 1, lda}
                               : Strided{a.data() + lo * lda + k0, lda, 1};
    const Index ldb = b.cols();
    const float* b_rows = kRightT ? nullptr : b.data() + k0 * ldb;  // b is k × n, rows in place
    const auto b_at = [&](Index t, Index j) {
      return kRightT ? b.data()[j * ldb + k0 + t] : b.data()[(k0 + t) * ldb + j];
    };
    narrow_product(lhs, rows, depth, b_rows, ldb, b_at, out.data(), out.outerStride(), n,
                   accumulate);
    return;
  }
  const auto run = [&](const auto& lhs, const auto& rhs) {
    if (accumulate) {
      out.noalias() += lhs * rhs;
    } else {
      out.noalias() = lhs * rhs;
    }
  };
  const auto rhs_view = [&] {
    if constexpr (kRightT) {
      return b.block(0, k0, n, depth).transpose();  // b is n × k
    } else {
      return b.block(k0, 0, depth, n);  // b is k × n
    }
  };
  if constexpr (kLeftT) {
    run(a.block(k0, lo, depth, rows).transpose(), rhs_view());  // a is k × m
  } else {
    run(a.block(lo, k0, rows, depth), rhs_view());  // a is m × k
  }
}

template <bool kLeftT, bool kRightT>
void matmul_split_depth(const ConstMatrixMap& a, const ConstMatrixMap& b, MatrixMap& c,
                        Index depth_chunk, bool accumulate) {
  const Index m = c.rows();
  const Index n = c.cols();
  const Index k = kLeftT ? a.rows() : a.cols();
  const Index chunks = ceil_div(k, depth_chunk);
  Matrix partial(chunks * m, n);
  parallel_for(
      0, chunks,
      [&](Index chunk) {
        const Index k0 = chunk * depth_chunk;
        gemm_slice<kLeftT, kRightT>(a, b, 0, m, k0, std::min(depth_chunk, k - k0),
                                    partial.middleRows(chunk * m, m), false);
      },
      1);
  // out = ((out + P0) + P1) + ...: the same order for every element, independent of the threads.
  float* dst = c.data();
  const float* src = partial.data();
  const Index size = m * n;
  for_each_chunk(size, [&](Index lo, Index hi) {
    Index first = 0;
    if (!accumulate) {
      std::copy(src + lo, src + hi, dst + lo);
      first = 1;
    }
    for (Index chunk = first; chunk < chunks; ++chunk) {
      const float* p = src + chunk * size;
      for (Index e = lo; e < hi; ++e) dst[e] += p[e];
    }
  });
}

template <bool kLeftT, bool kRightT>
void matmul_impl(const Tensor& a, const Tensor& b, Tensor& out, bool accumulate) {
  const ConstMatrixMap am = a.host();
  const ConstMatrixMap bm = b.host();
  MatrixMap cm = out.host();
  const Index m = out.rows();
  const Index n = out.cols();
  const Index k = kLeftT ? a.rows() : a.cols();
  if (m == 0 || n == 0) return;
  if (k == 0) {  // an empty sum: Eigen asserts on empty reductions in debug builds
    if (!accumulate) out.fill(0.0f);
    return;
  }
  if constexpr (kRightT && !kLeftT) {
    // A narrow product X·Bᵀ (dY·Wᵀ): transpose the small B once here rather than once per row
    // block in gemm_slice.
    if (is_narrow<false>(m, n, k)) {
      Tensor bt = Tensor::empty(k, n);
      const float* pb = b.data();
      float* pt = bt.data();
      for (Index t = 0; t < k; ++t)
        for (Index j = 0; j < n; ++j) pt[t * n + j] = pb[j * k + t];
      matmul_impl<false, false>(a, bt, out, accumulate);
      return;
    }
  }
  const MatmulPlan plan = plan_matmul(m, n, k);
  if (plan.depth_chunk < k) {
    matmul_split_depth<kLeftT, kRightT>(am, bm, cm, plan.depth_chunk, accumulate);
    return;
  }
  const Index blocks = ceil_div(m, plan.block_rows);
  parallel_for(
      0, blocks,
      [&](Index block) {
        const Index lo = block * plan.block_rows;
        const Index rows = std::min(plan.block_rows, m - lo);
        gemm_slice<kLeftT, kRightT>(am, bm, lo, rows, 0, k, cm.middleRows(lo, rows), accumulate);
      },
      1);
}

}  // namespace

MatmulPlan plan_matmul(Index m, Index n, Index k) {
  const double flops =
      2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  if (flops <= kSerialFlops) return {std::max<Index>(m, 1), k};
  // 1. Row blocks of about kBlockFlops, but small enough to give kTargetBlocks blocks.
  const double row_flops = 2.0 * static_cast<double>(n) * static_cast<double>(k);
  Index rows = static_cast<Index>(std::ceil(kBlockFlops / row_flops));
  rows = std::min(rows, std::max(kMinBlockRows, ceil_div(m, kTargetBlocks)));
  rows = round_up(std::max(rows, kMinBlockRows), 8);
  const Index blocks = ceil_div(m, rows);
  if (blocks >= 16 || k < 2 * kMinDepthChunk) return {rows, k};
  // 2. Few output rows and a long inner dimension: split the inner dimension instead.
  const Index by_memory = kMaxPartialFloats / std::max<Index>(m * n, 1);
  const Index chunks = std::min({kMaxDepthChunks, k / kMinDepthChunk, by_memory});
  if (chunks < 2) return {rows, k};
  return {m, round_up(ceil_div(k, chunks), 16)};
}

void matmul(const Tensor& a, const Tensor& b, Transpose transpose, Tensor& out, bool accumulate) {
  switch (transpose) {
  case Transpose::None:
    matmul_impl<false, false>(a, b, out, accumulate);
    break;
  case Transpose::Left:
    matmul_impl<true, false>(a, b, out, accumulate);
    break;
  case Transpose::Right:
    matmul_impl<false, true>(a, b, out, accumulate);
    break;
  case Transpose::Both:
    matmul_impl<true, true>(a, b, out, accumulate);
    break;
  }
}

}  // namespace moegnn::ops::cpu
