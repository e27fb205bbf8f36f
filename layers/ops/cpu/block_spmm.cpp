// SPDX-License-Identifier: Apache-2.0
// CPU block SpMM: each block row is owned by one task, so outputs are written without atomics and
// results do not depend on the thread count. The inner loop is an axpy over the C channels, which
// the compiler vectorises; blocks are small (b ≤ 8 in practice) and read once per row.
#include "layers/ops/cpu/block_spmm.h"

#include "core/parallel.h"

namespace moegnn::ops::cpu {

void block_spmm(const graph::CsrView& a, const BlockValues& v, const Tensor& x, bool accumulate,
                Tensor& out) {
  const Index b = v.block;
  const Index c = x.cols();
  const Index width = v.diagonal ? b : b * b;
  const float* xs = x.data();
  float* os = out.data();
  parallel_for(0, a.num_rows, [&](Index u) {
    float* orow = os + u * b * c;
    if (!accumulate) std::fill(orow, orow + b * c, 0.0f);
    for (graph::EdgeId k = a.row_ptr[u]; k < a.row_ptr[u + 1]; ++k) {
      const graph::EdgeId id = v.edge_ids == nullptr ? k : v.edge_ids[k];
      const float* blk = v.data + id * width;
      const float* xrow = xs + static_cast<Index>(a.col_idx[k]) * b * c;
      for (Index i = 0; i < b; ++i) {
        float* o = orow + i * c;
        if (v.diagonal) {
          const float w = blk[i];
          const float* xi = xrow + i * c;
          for (Index ch = 0; ch < c; ++ch) o[ch] += w * xi[ch];
          continue;
        }
        for (Index j = 0; j < b; ++j) {
          const float w = v.transposed ? blk[j * b + i] : blk[i * b + j];
          const float* xj = xrow + j * c;
          for (Index ch = 0; ch < c; ++ch) o[ch] += w * xj[ch];
        }
      }
    }
  }, 64);
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
