// SPDX-License-Identifier: Apache-2.0
// Reductions over contiguous row segments (CSR-style offsets): pooling node rows into graphs, or
// edge rows into their destinations.
#pragma once

#include "core/tape.h"
#include "graph/types.h"

namespace moegnn::ops {

// offsets: S + 1 non-decreasing values from 0 to x.rows(); out[s] = Σ x[offsets[s] : offsets[s+1]].
// -> S × n. Mean divides by the segment length (empty segment: 0). Throws InvalidArgument on bad
// offsets.
Var segment_sum(Tape& tape, const graph::EdgeIds& offsets, Var x);
Var segment_mean(Tape& tape, const graph::EdgeIds& offsets, Var x);
// The same without a tape.
Tensor segment_sum(const graph::EdgeIds& offsets, const Tensor& x);
Tensor segment_mean(const graph::EdgeIds& offsets, const Tensor& x);

}  // namespace moegnn::ops
