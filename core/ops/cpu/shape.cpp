// SPDX-License-Identifier: Apache-2.0
// Row gather and the bucketed scatter-add. Scatter-add first groups the sources of every
// destination with a stable counting sort (O(E + rows), skipped when the index is already sorted),
// then sums each destination's sources in order: deterministic without atomics, and each output row
// is written by exactly one task.
#include "core/ops/cpu/shape.h"

#include <algorithm>

#include "core/ops/cpu/loops.h"

namespace moegnn::ops::cpu {

Buckets bucket_by_destination(const std::int32_t* index, Index count, Index num_rows) {
  Buckets buckets;
  buckets.offsets.assign(static_cast<std::size_t>(num_rows + 1), 0);
  Index* offsets = buckets.offsets.data();
  bool sorted = true;
  for (Index i = 0; i < count; ++i) {
    ++offsets[index[i] + 1];
    sorted = sorted && (i == 0 || index[i - 1] <= index[i]);
  }
  for (Index d = 0; d < num_rows; ++d) offsets[d + 1] += offsets[d];
  if (sorted) return buckets;
  buckets.order.resize(static_cast<std::size_t>(count));
  std::vector<Index> cursor(buckets.offsets.begin(), buckets.offsets.end() - 1);
  for (Index i = 0; i < count; ++i)
    buckets.order[static_cast<std::size_t>(cursor[static_cast<std::size_t>(index[i])]++)] = i;
  return buckets;
}

void scatter_add_rows(const Tensor& x, const std::int32_t* index, Tensor& out) {
  const Index n = x.cols();
  if (n == 0 || x.rows() == 0) return;
  const Buckets buckets = bucket_by_destination(index, x.rows(), out.rows());
  const Index* offsets = buckets.offsets.data();
  const Index* order = buckets.order.empty() ? nullptr : buckets.order.data();
  const float* px = x.data();
  float* po = out.data();
  for_each_row_block(out.rows(), n, [&](Index lo, Index hi) {
    for (Index d = lo; d < hi; ++d) {
      float* dst = po + d * n;
      for (Index k = offsets[d]; k < offsets[d + 1]; ++k) {
        const float* src = px + (order != nullptr ? order[k] : k) * n;
        for (Index j = 0; j < n; ++j) dst[j] += src[j];
      }
    }
  });
}

void gather_rows(const Tensor& x, const std::int32_t* index, Tensor& out, bool accumulate) {
  const Index n = x.cols();
  const float* px = x.data();
  float* po = out.data();
  for_each_row_block(out.rows(), n, [&](Index lo, Index hi) {
    for (Index i = lo; i < hi; ++i) {
      const float* src = px + static_cast<Index>(index[i]) * n;
      float* dst = po + i * n;
      if (accumulate) {
        for (Index j = 0; j < n; ++j) dst[j] += src[j];
      } else {
        std::copy(src, src + n, dst);
      }
    }
  });
}

void copy_cols(const Tensor& from, Index from_col0, Tensor& to, Index to_col0, Index cols,
               bool accumulate) {
  const Index nf = from.cols();
  const Index nt = to.cols();
  const float* pf = from.data();
  float* pt = to.data();
  for_each_row_block(to.rows(), cols, [&](Index lo, Index hi) {
    for (Index i = lo; i < hi; ++i) {
      const float* src = pf + i * nf + from_col0;
      float* dst = pt + i * nt + to_col0;
      if (accumulate) {
        for (Index j = 0; j < cols; ++j) dst[j] += src[j];
      } else {
        std::copy(src, src + cols, dst);
      }
    }
  });
}

}  // namespace moegnn::ops::cpu
