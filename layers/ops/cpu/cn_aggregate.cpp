// SPDX-License-Identifier: Apache-2.0
// Weighted CSR row gather-sum on the CPU, one task per chunk of rows (no shared writes).
#include "layers/ops/cpu/cn_aggregate.h"

#include "core/parallel.h"

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

}  // namespace moegnn::ops::cpu
