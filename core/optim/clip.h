// SPDX-License-Identifier: Apache-2.0
// Gradient clipping between backward() and Optimizer::step(), as torch.nn.utils.clip_grad_norm_ and
// clip_grad_value_. The norm is summed in double over fixed chunks, so it is the same bit for bit
// on any thread count.
#pragma once

#include <vector>

#include "core/tape.h"

namespace moegnn::optim {

// ‖g‖ = L2 norm of all the grads together; every grad is scaled by min(1, max_norm / (‖g‖ + 1e-6)).
// Returns ‖g‖ before clipping. Throws InvalidArgument (changing nothing) on a null or repeated
// parameter, max_norm negative or NaN, or a NaN/inf norm (NaN or inf gradients); Unsupported for
// grads not on the CPU.
float clip_grad_norm(const std::vector<Parameter*>& params, float max_norm);

// Clamps every grad element to [-clip, clip] (NaN stays NaN). Throws InvalidArgument on a null or
// repeated parameter or clip negative or NaN; Unsupported for grads not on the CPU.
void clip_grad_value(const std::vector<Parameter*>& params, float clip);

}  // namespace moegnn::optim
