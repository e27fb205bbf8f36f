// SPDX-License-Identifier: Apache-2.0
// CUDA elementwise kernels behind ops::relu, ops::add (same shapes) and the tape's gradient
// accumulation (private to core; plain C++ declarations, defined in elementwise.cu, which is
// compiled only with MOEGNN_WITH_CUDA). All run on the device's context stream; shapes and devices
// are checked by the callers.
#pragma once

#include "core/tensor.h"

namespace moegnn::ops::cuda {

// out = max(x, 0).
void relu(const Tensor& x, Tensor& out);
// grad_in += grad_out ⊙ [x > 0].
void relu_backward(const Tensor& x, const Tensor& grad_out, Tensor& grad_in);
// out = a + b, all of one shape.
void add(const Tensor& a, const Tensor& b, Tensor& out);
// dst += src, of one shape.
void accumulate(const Tensor& src, Tensor& dst);

}  // namespace moegnn::ops::cuda
