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
// out[s, f] = max over the rows of segment s of x[r, f] (0 for an empty segment, as PyG's
// global_max_pool). The gradient of out[s, f] goes to the first row holding the maximum. CPU only
// for now: CUDA tensors throw Unsupported. Throws InvalidArgument on bad offsets.
Var segment_max(Tape& tape, const graph::EdgeIds& offsets, Var x);
Tensor segment_max(const graph::EdgeIds& offsets, const Tensor& x);

}  // namespace moegnn::ops
