// SPDX-License-Identifier: Apache-2.0
// Weighted CSR row gather-sum on the CPU, one task per chunk of rows (no shared writes).
#include "layers/ops/cpu/cn_aggregate.h"

#include <algorithm>

#include "core/parallel.h"
#include "layers/ops/cpu/spmm_kernel.h"
#include "layers/ops/cpu/vector_math.h"

namespace moegnn::ops::cpu {

void gather_sum(const graph::CsrView& c, const float* weights, const graph::EdgeId* perm,
                const Tensor& x, Tensor& out, bool accumulate) {
  const Index f = x.cols();
  const float* xs = x.data();
  float* os = out.data();
  parallel_for(Index{0}, c.num_rows, [&](Index r) {
    float* o = os + r * f;
    if (!accumulate)
      for (Index j = 0; j < f; ++j) o[j] = 0.0f;
    for (graph::EdgeId k = c.row_ptr[r]; k < c.row_ptr[r + 1]; ++k) {
      const float* xr = xs + static_cast<Index>(c.col_idx[k]) * f;
      if (weights == nullptr) {
        for (Index j = 0; j < f; ++j) o[j] += xr[j];
      } else {
        const float w = weights[perm != nullptr ? perm[k] : k];
        for (Index j = 0; j < f; ++j) o[j] += w * xr[j];
      }
    }
  }, 64);
}

bool scatter_fits_cache(Index dx_rows) {
  return static_cast<std::size_t>(dx_rows) * kLanes * sizeof(float) <= last_level_cache_bytes() / 2;
}

void scatter_sum(const graph::CsrView& c, const float* weights, const Tensor& dout, Tensor& dx) {
  const Index f = dout.cols();
  const std::size_t row_bytes =
      std::max<std::size_t>(1, static_cast<std::size_t>(dx.rows())) * sizeof(float);
  const auto fits = static_cast<Index>(last_level_cache_bytes() / 2 / row_bytes);
  const Index per_thread = (f + num_threads() - 1) / num_threads();
  const Index block =
      std::clamp<Index>(std::min(fits, per_thread) / kLanes * kLanes, kLanes, std::max(f, kLanes));
  const Index blocks = (f + block - 1) / block;
  const float* g = dout.data();
  float* d = dx.data();
  parallel_for(Index{0}, blocks, [&](Index bk) {
    const Index lo = bk * block;
    const Index width = std::min(f, lo + block) - lo;
    for (Index r = 0; r < c.num_rows; ++r) {
      const float* gr = g + r * f + lo;
      for (graph::EdgeId k = c.row_ptr[r]; k < c.row_ptr[r + 1]; ++k) {
        float* dr = d + static_cast<Index>(c.col_idx[k]) * f + lo;
        if (weights == nullptr) {
          for (Index j = 0; j < width; ++j) dr[j] += gr[j];
        } else {
          const float w = weights[k];
          for (Index j = 0; j < width; ++j) dr[j] += w * gr[j];
        }
      }
    }
  }, 1);
}

}  // namespace moegnn::ops::cpu
