// SPDX-License-Identifier: Apache-2.0
// CPU kernels of segment_sum / segment_mean (private to layers/ops). Offsets are validated by the
// front end; tensors are CPU, row-major, contiguous.
#pragma once

#include "core/tensor.h"
#include "graph/types.h"

namespace moegnn::ops::cpu {

// out[s] = c_s · Σ_{r in [offsets[s], offsets[s+1])} x[r], c_s = 1 / length when mean (0 for an
// empty segment), else 1. offsets: num_segments + 1 entries; out: num_segments × x.cols().
void segment_reduce(const graph::EdgeId* offsets, Index num_segments, const Tensor& x, bool mean,
                    Tensor& out);

// grad_x[r] += c_s · grad_out[s] for every row r of segment s (the backward of segment_reduce);
// grad_x[r] = ... when not `accumulate` (the segments cover every row).
void segment_broadcast(const graph::EdgeId* offsets, Index num_segments, const Tensor& grad_out,
                       bool mean, Tensor& grad_x, bool accumulate = true);

// out[s, f] = max_{r in segment s} x[r, f] (0 for an empty segment); arg[s · cols + f] = the first
// row holding it (-1 for an empty segment). arg: num_segments · x.cols() entries.
void segment_max(const graph::EdgeId* offsets, Index num_segments, const Tensor& x, Tensor& out,
                 graph::EdgeId* arg);

// grad_x[arg[s · cols + f], f] += grad_out[s, f] (the backward of segment_max; -1 skipped).
void segment_max_backward(const graph::EdgeId* arg, Index num_segments, const Tensor& grad_out,
                          Tensor& grad_x);

}  // namespace moegnn::ops::cpu
