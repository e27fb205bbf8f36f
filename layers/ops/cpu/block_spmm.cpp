// SPDX-License-Identifier: Apache-2.0
// CPU block SpMM: each block row is owned by one task, so outputs are written without atomics and
// results do not depend on the thread count. The inner loop is an axpy over the C channels, which
// the compiler vectorises; blocks are small (b ≤ 8 in practice) and read once per row.
#include "layers/ops/cpu/block_spmm.h"

#include <algorithm>

#include "core/parallel.h"

namespace moegnn::ops::cpu {

namespace {

// One block row: o (b × c) += Σ_k B_k · x_{col k}. B is a compile-time block size (0: runtime b),
// so the i/j loops unroll and the channel loop vectorises (o never aliases x: __restrict).
template <int B, bool Diagonal, bool Transposed>
void block_row(const graph::CsrView& a, const BlockValues& v, const float* xs, Index c, Index u,
               float* __restrict orow) {
  const Index b = B > 0 ? B : v.block;
  const Index width = Diagonal ? b : b * b;
  // x rows of a few edges ahead into L2, about 128 cache lines in flight (as cpu/spmm_kernel.h).
  const Index row_floats = b * c;
  const Index lines = std::max<Index>((row_floats + 15) / 16, 1);
  const graph::EdgeId ahead = std::clamp<Index>(128 / lines, 4, 32);
  const graph::EdgeId end = a.row_ptr[u + 1];
  for (graph::EdgeId k = a.row_ptr[u]; k < end; ++k) {
    if (k + ahead < end) {
      const float* next = xs + static_cast<Index>(a.col_idx[k + ahead]) * row_floats;
      for (Index f = 0; f < row_floats; f += 16) __builtin_prefetch(next + f, 0, 2);
    }
    const graph::EdgeId id = v.edge_ids == nullptr ? k : v.edge_ids[k];
    const float* blk = v.data + id * width;
    const float* __restrict xrow = xs + static_cast<Index>(a.col_idx[k]) * b * c;
    for (Index i = 0; i < b; ++i) {
      float* __restrict o = orow + i * c;
      if constexpr (Diagonal) {
        const float w = blk[i];
        const float* __restrict xi = xrow + i * c;
        for (Index ch = 0; ch < c; ++ch) o[ch] += w * xi[ch];
      } else {
        for (Index j = 0; j < b; ++j) {
          const float w = Transposed ? blk[j * b + i] : blk[i * b + j];
          const float* __restrict xj = xrow + j * c;
          for (Index ch = 0; ch < c; ++ch) o[ch] += w * xj[ch];
        }
      }
    }
  }
}

template <int B, bool Diagonal, bool Transposed>
void run_rows(const graph::CsrView& a, const BlockValues& v, const Tensor& x, bool accumulate,
              Tensor& out) {
  const Index b = v.block;
  const Index c = x.cols();
  const float* xs = x.data();
  float* os = out.data();
  parallel_for(0, a.num_rows, [&](Index u) {
    float* orow = os + u * b * c;
    if (!accumulate) std::fill(orow, orow + b * c, 0.0f);
    block_row<B, Diagonal, Transposed>(a, v, xs, c, u, orow);
  }, 64);
}

template <bool Diagonal, bool Transposed>
void dispatch_block(const graph::CsrView& a, const BlockValues& v, const Tensor& x,
                    bool accumulate, Tensor& out) {
  switch (v.block) {
  case 1: return run_rows<1, Diagonal, Transposed>(a, v, x, accumulate, out);
  case 2: return run_rows<2, Diagonal, Transposed>(a, v, x, accumulate, out);
  case 3: return run_rows<3, Diagonal, Transposed>(a, v, x, accumulate, out);
  case 4: return run_rows<4, Diagonal, Transposed>(a, v, x, accumulate, out);
  case 5: return run_rows<5, Diagonal, Transposed>(a, v, x, accumulate, out);
  case 6: return run_rows<6, Diagonal, Transposed>(a, v, x, accumulate, out);
  default: return run_rows<0, Diagonal, Transposed>(a, v, x, accumulate, out);
  }
}

}  // namespace

void block_spmm(const graph::CsrView& a, const BlockValues& v, const Tensor& x, bool accumulate,
                Tensor& out) {
  if (v.diagonal) return dispatch_block<true, false>(a, v, x, accumulate, out);
  if (v.transposed) return dispatch_block<false, true>(a, v, x, accumulate, out);
  dispatch_block<false, false>(a, v, x, accumulate, out);
}

void block_spmm_grad_values(const graph::CsrView& a, Index b, bool diagonal,
                            const Tensor& grad_out, const Tensor& x, Tensor& grad_values) {
  const Index c = x.cols();
  const Index width = diagonal ? b : b * b;
  const float* gs = grad_out.data();
  const float* xs = x.data();
  float* gv = grad_values.data();
  parallel_for(0, a.num_rows, [&](Index u) {
    const float* grow = gs + u * b * c;
    for (graph::EdgeId k = a.row_ptr[u]; k < a.row_ptr[u + 1]; ++k) {
      const float* xrow = xs + static_cast<Index>(a.col_idx[k]) * b * c;
      float* out = gv + k * width;
      for (Index i = 0; i < b; ++i) {
        const float* g = grow + i * c;
        for (Index j = diagonal ? i : 0; j < (diagonal ? i + 1 : b); ++j) {
          const float* xj = xrow + j * c;
          float s = 0.0f;
          for (Index ch = 0; ch < c; ++ch) s += g[ch] * xj[ch];
          out[diagonal ? i : i * b + j] += s;
        }
      }
    }
  }, 64);
}

}  // namespace moegnn::ops::cpu
