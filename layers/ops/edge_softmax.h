// SPDX-License-Identifier: Apache-2.0
// Softmax of edge scores over each destination's incoming edges (each row of the Csr), per head.
#pragma once

#include "core/tape.h"
#include "graph/csr.h"

namespace moegnn::ops {

// logits: nnz × H -> nnz × H whose entries sum to 1 over each non-empty row, per column.
// Numerically stable (the row max is subtracted first). Throws InvalidArgument when logits do not
// have a.num_edges() rows or live on another device.
Var edge_softmax(Tape& tape, const graph::Csr& a, Var logits);
Tensor edge_softmax(const graph::Csr& a, const Tensor& logits);  // the same without a tape

}  // namespace moegnn::ops
