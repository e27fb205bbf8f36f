// SPDX-License-Identifier: Apache-2.0
// Softmax of edge scores over each destination's incoming edges (each row of the Csr), per head.
#pragma once

#include "core/tape.h"
#include "graph/csr.h"

namespace moegnn::ops {

// logits: nnz × H -> nnz × H whose entries sum to 1 over each non-empty row, per column.
Var edge_softmax(Tape& tape, const graph::Csr& a, Var logits);

}  // namespace moegnn::ops
