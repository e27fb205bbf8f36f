// SPDX-License-Identifier: Apache-2.0
// CUDA matrix product behind ops::matmul (private to core/ops; plain C++ declarations, defined in
// linalg.cu, which is compiled only with MOEGNN_WITH_CUDA).
#pragma once

#include "core/ops/linalg.h"
#include "core/tensor.h"

namespace moegnn::ops::cuda {

// out (m × n) = op(a) · op(b), or += when `accumulate`, through cublasSgemm on the device's context
// stream. Shapes and devices are checked by the caller; throws InvalidArgument when a size exceeds
// cuBLAS's 32-bit int, CudaError when cuBLAS fails.
void matmul(const Tensor& a, const Tensor& b, Transpose transpose, Tensor& out, bool accumulate);

}  // namespace moegnn::ops::cuda
