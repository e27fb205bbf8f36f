// SPDX-License-Identifier: Apache-2.0
// CPU GEMM for ops::matmul. Eigen's single-threaded GEMM runs on row blocks of the output spread
// over oneTBB; the blocks are fixed by the shape, so each block is the same Eigen call on any
// thread count and the result is bit-identical. Products with few output rows and a long inner
// dimension (weight gradients Xᵀ·dY over all nodes) are split along the inner dimension instead,
// into fixed chunks whose partial products are added in chunk order. Transposed operands enter as
// Eigen transpose views of the row-major maps, which GEMM's packing reads directly: nothing is
// materialised.
#include "core/ops/cpu/linalg.h"

#include <algorithm>
#include <cmath>

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

// out (+)= op(a)[rows lo.., inner k0..] · op(b)[inner k0.., :] for a `rows` × `depth` slice.
template <bool kLeftT, bool kRightT, typename Out>
void gemm_slice(const ConstMatrixMap& a, const ConstMatrixMap& b, Index lo, Index rows, Index k0,
                Index depth, Out out, bool accumulate) {
  const Index n = out.cols();
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
