// SPDX-License-Identifier: Apache-2.0
// CPU edge softmax: a row's edges are contiguous (nnz × H, edge-major), so each row is three short
// passes over one block; rows are spread over edge-balanced chunks.
#include "layers/ops/cpu/edge_softmax.h"

#include <cmath>
#include <limits>
#include <vector>

#include "layers/ops/detail/row_chunks.h"

namespace moegnn::ops::cpu {

using graph::EdgeId;

void edge_softmax(const graph::CsrView& a, const Tensor& logits, Tensor& out) {
  const Index heads = logits.cols();
  const float* l = logits.data();
  float* s = out.data();
  detail::parallel_over_rows(a.row_ptr, a.num_rows, heads, [&](Index lo, Index hi) {
    std::vector<float> shift(static_cast<std::size_t>(heads));
    std::vector<float> total(static_cast<std::size_t>(heads));
    for (Index i = lo; i < hi; ++i) {
      const EdgeId b = a.row_ptr[i];
      const EdgeId e = a.row_ptr[i + 1];
      if (b == e) continue;
      // 1. The row max per head (subtracted for stability; -inf rows shift by 0 and give zeros).
      for (Index h = 0; h < heads; ++h) shift[h] = l[b * heads + h];
      for (EdgeId k = b + 1; k < e; ++k)
        for (Index h = 0; h < heads; ++h) shift[h] = std::fmax(shift[h], l[k * heads + h]);
      for (Index h = 0; h < heads; ++h) {
        if (std::isinf(shift[h]) && shift[h] < 0) shift[h] = 0.0f;
        total[h] = 0.0f;
      }
      // 2. Exponentials and their sums.
      for (EdgeId k = b; k < e; ++k) {
        for (Index h = 0; h < heads; ++h) {
          const float v = std::exp(l[k * heads + h] - shift[h]);
          s[k * heads + h] = v;
          total[h] += v;
        }
      }
      // 3. Normalise.
      for (EdgeId k = b; k < e; ++k)
        for (Index h = 0; h < heads; ++h)
          s[k * heads + h] = total[h] > 0.0f ? s[k * heads + h] / total[h] : 0.0f;
    }
  });
}

void edge_softmax_backward(const graph::CsrView& a, const Tensor& s, const Tensor& g,
                           Tensor& grad) {
  const Index heads = s.cols();
  const float* sd = s.data();
  const float* gd = g.data();
  float* out = grad.data();
  detail::parallel_over_rows(a.row_ptr, a.num_rows, heads, [&](Index lo, Index hi) {
    std::vector<float> inner(static_cast<std::size_t>(heads));
    for (Index i = lo; i < hi; ++i) {
      const EdgeId b = a.row_ptr[i];
      const EdgeId e = a.row_ptr[i + 1];
      for (Index h = 0; h < heads; ++h) inner[h] = 0.0f;
      for (EdgeId k = b; k < e; ++k)
        for (Index h = 0; h < heads; ++h) inner[h] += sd[k * heads + h] * gd[k * heads + h];
      for (EdgeId k = b; k < e; ++k)
        for (Index h = 0; h < heads; ++h)
          out[k * heads + h] += sd[k * heads + h] * (gd[k * heads + h] - inner[h]);
    }
  });
}

}  // namespace moegnn::ops::cpu
