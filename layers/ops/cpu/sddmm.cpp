// SPDX-License-Identifier: Apache-2.0
// CPU SDDMM kernels: parallel over edge-balanced row chunks; every output element has one writer.
#include "layers/ops/cpu/sddmm.h"

#include "layers/ops/cpu/spmm_kernel.h"
#include "layers/ops/cpu/vector_math.h"
#include "layers/ops/detail/row_chunks.h"

namespace moegnn::ops::cpu {

using graph::EdgeId;

void sddmm_dot(const graph::CsrView& a, const Tensor& dst, const Tensor& src, Index heads,
               bool mean, Tensor& out) {
  const Index width = dst.cols();
  const Index channels = width / heads;
  const float* d = dst.data();
  const float* s = src.data();
  float* e = out.data();
  const EdgeId ahead = prefetch_distance(width);
  detail::parallel_over_rows(a.row_ptr, a.num_rows, width, [&](Index lo, Index hi) {
    const EdgeId edge_limit = a.row_ptr[hi];
    for (Index i = lo; i < hi; ++i) {
      const EdgeId b = a.row_ptr[i];
      const EdgeId end = a.row_ptr[i + 1];
      const float scale = mean && end > b ? 1.0f / static_cast<float>(end - b) : 1.0f;
      const float* di = d + i * width;
      EdgeId k = b;
      for (; k + 4 <= end; k += 4) {  // four edges at a time share the loads of dst row i
        const float* sj[4];
        for (int q = 0; q < 4; ++q) {
          if (k + q + ahead < edge_limit)
            prefetch_floats(s + static_cast<Index>(a.col_idx[k + q + ahead]) * width, width);
          sj[q] = s + static_cast<Index>(a.col_idx[k + q]) * width;
        }
        for (Index h = 0; h < heads; ++h) {
          const float* sh[4] = {sj[0] + h * channels, sj[1] + h * channels, sj[2] + h * channels,
                                sj[3] + h * channels};
          float r[4];
          dot4(di + h * channels, sh, channels, r);
          for (int q = 0; q < 4; ++q) e[(k + q) * heads + h] += scale * r[q];
        }
      }
      for (; k < end; ++k) {
        const float* sj = s + static_cast<Index>(a.col_idx[k]) * width;
        for (Index h = 0; h < heads; ++h)
          e[k * heads + h] += scale * dot(di + h * channels, sj + h * channels, channels);
      }
    }
  });
}

void sddmm_add(const graph::CsrView& a, const Tensor& dst, const Tensor& src, Tensor& out) {
  const Index heads = dst.cols();
  const float* d = dst.data();
  const float* s = src.data();
  float* e = out.data();
  detail::parallel_over_rows(a.row_ptr, a.num_rows, heads, [&](Index lo, Index hi) {
    for (Index i = lo; i < hi; ++i) {
      const float* di = d + i * heads;
      for (EdgeId k = a.row_ptr[i]; k < a.row_ptr[i + 1]; ++k) {
        const float* sj = s + static_cast<Index>(a.col_idx[k]) * heads;
        for (Index h = 0; h < heads; ++h) e[k * heads + h] = di[h] + sj[h];
      }
    }
  });
}

void edge_rows_sum(const graph::CsrView& a, const EdgeId* perm, const Tensor& g, Tensor& grad) {
  const Index heads = g.cols();
  const float* gd = g.data();
  float* out = grad.data();
  detail::parallel_over_rows(a.row_ptr, a.num_rows, heads, [&](Index lo, Index hi) {
    for (Index r = lo; r < hi; ++r) {
      float* o = out + r * heads;
      for (EdgeId k = a.row_ptr[r]; k < a.row_ptr[r + 1]; ++k) {
        const float* gk = gd + (perm != nullptr ? perm[k] : k) * heads;
        for (Index h = 0; h < heads; ++h) o[h] += gk[h];
      }
    }
  });
}

}  // namespace moegnn::ops::cpu
