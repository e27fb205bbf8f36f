// SPDX-License-Identifier: Apache-2.0
// CPU kernels of reduce.h (private to core/ops). Outputs are allocated and shaped by the caller.
#pragma once

#include <cstdint>

#include "core/ops/reduce.h"
#include "core/tensor.h"

namespace moegnn::ops::cpu {

// out (1 × 1, 1 × n or m × 1 per `over`) = Σ x, in a fixed order (bit-identical on any thread
// count).
void sum(const Tensor& x, Over over, Tensor& out);
// out = max over `over`; flat[k] = flat index into x of the first maximal element behind out[k].
// NaN counts as larger than any number, so a NaN input propagates. x must not be empty.
void max(const Tensor& x, Over over, Tensor& out, std::int64_t* flat);
// out = softmax (or log-softmax when `log`) of each row of x.
void softmax_rows(const Tensor& x, Tensor& out, bool log);
// dx += the backward of softmax_rows given its output y and the output gradient g.
void softmax_rows_backward(const Tensor& y, const Tensor& g, Tensor& dx, bool log);
// out[i] = the first maximal column of row i (x.cols() > 0).
void argmax_rows(const Tensor& x, std::int32_t* out);

}  // namespace moegnn::ops::cpu
