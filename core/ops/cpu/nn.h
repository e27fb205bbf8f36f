// SPDX-License-Identifier: Apache-2.0
// CPU kernels of nn.h (private to core/ops): the counter-based dropout mask, and batch/layer norm
// forward and backward. Shapes are checked by the caller; per-column vectors are n floats.
#pragma once

#include <cstdint>

#include "core/tensor.h"

namespace moegnn::ops::cpu {

// out = x ⊙ mask / (1 - p) with mask[e] = (Rng::to_unit(Rng::bits(key, e)) >= p).
void dropout(const Tensor& x, std::uint64_t key, float p, Tensor& out);
// dx += g ⊙ mask / (1 - p), the same mask (dx = ... when not `accumulate`).
void dropout_backward(const Tensor& g, std::uint64_t key, float p, Tensor& dx, bool accumulate);

// Column mean and biased variance of x (m × n), two passes in a fixed order.
void column_moments(const Tensor& x, float* mean, float* var);
// out[i, j] = (x[i, j] - mean[j]) · inv_std[j] · gamma[j] + beta[j].
void normalize_columns(const Tensor& x, const float* mean, const float* inv_std, const float* gamma,
                       const float* beta, Tensor& out);
// Batch-norm backward with x̂ = (x - mean) · inv_std. Adds Σ_i g·x̂ to dgamma and Σ_i g to dbeta
// (when not null) and, when dx is not null, the gradient through the batch statistics (`training`)
// or through fixed statistics (evaluation): added to dx, or written over it when not
// `accumulate_dx`.
void batch_norm_backward(const Tensor& x, const Tensor& g, const float* mean, const float* inv_std,
                         const float* gamma, bool training, Tensor* dx, float* dgamma,
                         float* dbeta, bool accumulate_dx);

// Layer norm of each row: out = x̂ · gamma + beta, x̂ = (x - mean_i) · inv_std_i; writes mean and
// inv_std (m values each) for the backward pass.
void layer_norm(const Tensor& x, const float* gamma, const float* beta, float eps, Tensor& out,
                float* mean, float* inv_std);
void layer_norm_backward(const Tensor& x, const Tensor& g, const float* mean, const float* inv_std,
                         const float* gamma, Tensor* dx, float* dgamma, float* dbeta);

}  // namespace moegnn::ops::cpu
