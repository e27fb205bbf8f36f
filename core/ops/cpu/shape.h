// SPDX-License-Identifier: Apache-2.0
// CPU row gather and deterministic scatter-add (private to core/ops). Indices are checked by the
// caller.
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.h"

namespace moegnn::ops::cpu {

// A stable counting sort of sources by destination: the sources that index[] sends to row d are
// order[offsets[d] .. offsets[d + 1]) in increasing order, or that range itself when `order` is
// empty (index[] was already non-decreasing, the common case for CSR-ordered edges).
struct Buckets {
  std::vector<Index> offsets;  // num_rows + 1
  std::vector<Index> order;    // count entries, or empty for the identity
};
Buckets bucket_by_destination(const std::int32_t* index, Index count, Index num_rows);

// out[index[i]] += x[i] for every row i of x. Each output row adds its sources in increasing i, one
// task per row range: no atomics, the same result on any thread count.
void scatter_add_rows(const Tensor& x, const std::int32_t* index, Tensor& out);

// out[i] = x[index[i]] (or += when `accumulate`) for i < out.rows().
void gather_rows(const Tensor& x, const std::int32_t* index, Tensor& out, bool accumulate);

// to[:, to_col0 : to_col0 + cols] = from[:, from_col0 : from_col0 + cols] (or += when `accumulate`)
// for every row of `to` (from has at least as many rows): the column-block moves of concat_cols,
// slice_cols and their backward rules.
void copy_cols(const Tensor& from, Index from_col0, Tensor& to, Index to_col0, Index cols,
               bool accumulate);

}  // namespace moegnn::ops::cpu
