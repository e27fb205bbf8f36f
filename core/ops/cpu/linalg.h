// SPDX-License-Identifier: Apache-2.0
// CPU matrix product behind ops::matmul (private to core/ops).
#pragma once

#include "core/ops/linalg.h"
#include "core/tensor.h"

namespace moegnn::ops::cpu {

// How a product is cut into tasks; a function of the shape only (never of the thread count).
struct MatmulPlan {
  Index block_rows;   // rows of the output per task (== m: one row block)
  Index depth_chunk;  // inner indices per task (< k: partial products summed in chunk order)
};
MatmulPlan plan_matmul(Index m, Index n, Index k);

// out (m × n) = op(a) · op(b), or += when `accumulate`. Shapes and devices are checked by the
// caller.
void matmul(const Tensor& a, const Tensor& b, Transpose transpose, Tensor& out, bool accumulate);

}  // namespace moegnn::ops::cpu
