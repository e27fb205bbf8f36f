// SPDX-License-Identifier: Apache-2.0
// Dense matrix products on the tape. CPU: Eigen GEMM over row blocks spread by oneTBB, or over
// inner-dimension chunks summed in order when the output has few rows (weight gradients Xᵀ·dY).
// Blocks are fixed by the shape and each is one Eigen call, so results do not depend on the thread
// count.
#pragma once

#include "core/tape.h"

namespace moegnn::ops {

enum class Transpose { None, Left, Right, Both };  // which operand enters transposed

// a: m × k (k × m if transposed), b: k × n (n × k if transposed) -> m × n.
// Throws InvalidArgument on inner-size or device mismatch.
Tensor matmul(const Tensor& a, const Tensor& b, Transpose transpose = Transpose::None);
Var matmul(Tape& tape, Var a, Var b, Transpose transpose = Transpose::None);
// out += op(a) · op(b) in place, for backward rules that add a product into a gradient buffer
// without a temporary. out must be m × n on the operands' device; throws InvalidArgument otherwise.
void matmul_accumulate(const Tensor& a, const Tensor& b, Tensor& out,
                       Transpose transpose = Transpose::None);

}  // namespace moegnn::ops
