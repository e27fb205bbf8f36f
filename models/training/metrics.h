// SPDX-License-Identifier: Apache-2.0
// Evaluation metrics for node classification.
#pragma once

#include "core/index_array.h"
#include "core/tensor.h"

namespace moegnn::training {

// Fraction of `rows` whose prediction equals the label; 0 when `rows` is empty. predictions and
// labels: one entry per node (equal sizes). Throws InvalidArgument on a size mismatch or a row id
// out of range.
double accuracy(const IndexArray32& predictions, const IndexArray32& labels,
                const IndexArray32& rows);

// The same from logits (num_nodes × C): the prediction is the first maximal column of each row.
double accuracy(const Tensor& logits, const IndexArray32& labels, const IndexArray32& rows);

}  // namespace moegnn::training
