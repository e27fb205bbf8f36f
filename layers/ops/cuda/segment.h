// SPDX-License-Identifier: Apache-2.0
// CUDA kernels of segment_sum / segment_mean (private to layers/ops; plain C++ declarations,
// defined in segment.cu, compiled only with MOEGNN_WITH_CUDA). Semantics are those of
// layers/ops/cpu/segment.h. Offsets (num_segments + 1, validated by the front end) and tensors are
// on the device.
#pragma once

#include "core/tensor.h"
#include "graph/types.h"

namespace moegnn::ops::cuda {

// out[s] = c_s · Σ_{r in [offsets[s], offsets[s+1])} x[r], c_s = 1 / length when mean (0 for an
// empty segment), else 1. One warp per segment, rows summed in order.
void segment_reduce(const graph::EdgeId* offsets, Index num_segments, const Tensor& x, bool mean,
                    Tensor& out);

// grad_x[r] += c_s · grad_out[s] for every row r of segment s.
void segment_broadcast(const graph::EdgeId* offsets, Index num_segments, const Tensor& grad_out,
                       bool mean, Tensor& grad_x);

}  // namespace moegnn::ops::cuda
