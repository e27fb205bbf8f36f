// SPDX-License-Identifier: Apache-2.0
// Reductions and row-wise softmax on the tape. Sums are deterministic: fixed chunks combined in order.
#pragma once

#include "core/index_array.h"
#include "core/tape.h"

namespace moegnn::ops {

// What a reduction collapses: All -> 1 × 1; Rows -> 1 × n (one value per column, torch dim=0);
// Cols -> m × 1 (one value per row, torch dim=1).
enum class Over { All, Rows, Cols };

Var sum(Tape& tape, Var x, Over over = Over::All);  // an empty input sums to 0
Var mean(Tape& tape, Var x, Over over = Over::All);  // throws InvalidArgument on an empty input
// Max; the gradient goes to the first maximal element (a NaN counts as maximal and propagates).
// Throws InvalidArgument on an empty input.
Var max(Tape& tape, Var x, Over over = Over::All);

// Softmax / log-softmax over each row (numerically stable: the row max is subtracted first).
Var softmax(Tape& tape, Var x);
Var log_softmax(Tape& tape, Var x);

// Tensor-level helpers for metrics and tests (no tape).
Tensor sum(const Tensor& x, Over over = Over::All);
Tensor softmax(const Tensor& x);
Tensor log_softmax(const Tensor& x);
// m entries on x's device, the first maximal column of each row. Throws InvalidArgument when x
// has rows but no columns.
IndexArray32 argmax_rows(const Tensor& x);

}  // namespace moegnn::ops
