// SPDX-License-Identifier: Apache-2.0
// CUDA reductions, row softmax and argmax behind core/ops/reduce.h (private to core/ops; plain C++
// declarations, defined in reduce.cu, which is compiled only with MOEGNN_WITH_CUDA). Outputs are
// allocated and shaped by the caller; pointers named *_device point to device memory. No atomics:
// every output is written by one thread or one block, in a fixed order (column sums replay the
// CPU's column_reduce order and row sums its lane_sum, so those match the CPU bit for bit; the sum
// of a whole tensor is a fixed double tree, equal to the CPU's after rounding to float).
#pragma once

#include <cstdint>

#include "core/tensor.h"

namespace moegnn::ops::cuda {

// ops::Over's cases (core/ops/reduce.h needs C++20, which the CUDA sources are not compiled as).
enum class Axis { All, Rows, Cols };

// out (1 × 1, 1 × n or m × 1 per `over`) = Σ x.
void sum(const Tensor& x, Axis over, Tensor& out);
// out = max over `over`; flat_device[k] = flat index into x of the first maximal element behind
// out[k] (NaN counts as largest, as on the CPU). x must not be empty.
void max(const Tensor& x, Axis over, Tensor& out, std::int64_t* flat_device);
// dx[flat[k]] += g[k] for every k (the targets are distinct).
void max_backward(const Tensor& g, const std::int64_t* flat_device, Tensor& dx);
// out = softmax (or log-softmax when `log`) of each row of x; one thread per row.
void softmax_rows(const Tensor& x, Tensor& out, bool log);
// dx += the backward of softmax_rows given its output y and the output gradient g.
void softmax_rows_backward(const Tensor& y, const Tensor& g, Tensor& dx, bool log);
// out_device[i] = the first maximal column of row i (x.cols() > 0).
void argmax_rows(const Tensor& x, std::int32_t* out_device);

}  // namespace moegnn::ops::cuda
