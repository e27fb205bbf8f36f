// SPDX-License-Identifier: Apache-2.0
// Concatenation, slicing, row gather and scatter-add on the tape. Row indices are int32 (node ids).
#pragma once

#include <vector>

#include "core/index_array.h"
#include "core/tape.h"

namespace moegnn::ops {

// Throw InvalidArgument on no parts, a size mismatch, or a range outside 0 <= begin <= end <= size.
Var concat_rows(Tape& tape, const std::vector<Var>& parts);  // stacks vertically; equal cols
Var concat_cols(Tape& tape, const std::vector<Var>& parts);  // side by side; equal rows
Var slice_rows(Tape& tape, Var x, Index begin, Index end);   // rows [begin, end), a copy
Var slice_cols(Tape& tape, Var x, Index begin, Index end);   // cols [begin, end), a copy

// out[i] = x[index[i]]: index.size() × n. Throws InvalidArgument for an index out of [0, m).
Var gather_rows(Tape& tape, Var x, const IndexArray32& index);
// out (num_rows × n) with out[index[i]] += x[i]. Deterministic on CPU (rows are bucketed first, no
// atomics). Throws InvalidArgument when index.size() != x.rows() or an index is out of range.
Var scatter_add_rows(Tape& tape, Var x, const IndexArray32& index, Index num_rows);

// Tensor-level versions of the two above (no tape), with the same checks.
Tensor gather_rows(const Tensor& x, const IndexArray32& index);
Tensor scatter_add_rows(const Tensor& x, const IndexArray32& index, Index num_rows);

}  // namespace moegnn::ops
