// SPDX-License-Identifier: Apache-2.0
// CUDA copies, column-block moves, row gather and the deterministic scatter-add behind
// core/ops/shape.h (private to core/ops; plain C++ declarations, defined in shape.cu, which is
// compiled only with MOEGNN_WITH_CUDA). Index arguments point to device memory and are checked by
// the caller. Scatter-add takes the CPU's destination buckets (cpu::bucket_by_destination, built on
// the host from a host copy of the index) and sums each output row's sources in increasing source
// order, one thread per output element: no atomics, the CPU's sums bit for bit.
#pragma once

#include <cstdint>

#include "core/tensor.h"

namespace moegnn::ops::cuda {

// dst[0, count) = src[0, count) (device to device), or += when `accumulate`.
void copy_block(const float* src, float* dst, Index count, bool accumulate);
// to[:, to_col0 : to_col0 + cols] (+)= from[:, from_col0 : from_col0 + cols] for every row of `to`.
void copy_cols(const Tensor& from, Index from_col0, Tensor& to, Index to_col0, Index cols,
               bool accumulate);
// out[i] = x[index[i]] (or += when `accumulate`) for i < out.rows().
void gather_rows(const Tensor& x, const std::int32_t* index, Tensor& out, bool accumulate);
// out[d] += Σ x[order[k]] over k in [offsets[d], offsets[d + 1]) in increasing k (order null: the
// identity), starting from out's current values.
void scatter_add_rows(const Tensor& x, const std::int64_t* offsets, const std::int64_t* order,
                      Tensor& out);

}  // namespace moegnn::ops::cuda
