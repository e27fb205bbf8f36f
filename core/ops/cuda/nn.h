// SPDX-License-Identifier: Apache-2.0
// CUDA batch-norm and layer-norm kernels behind core/ops/nn.h (private to core/ops; plain C++
// declarations, defined in nn.cu, which is compiled only with MOEGNN_WITH_CUDA; dropout is in
// elementwise.h). Per-column vectors are n floats and per-row ones m floats, all in device memory.
// Column statistics replay the CPU's column_reduce order (partials per row block, added in block
// order) and row statistics its lane sums (one thread per row), so no atomics are used and results
// are deterministic.
#pragma once

#include "core/tensor.h"

namespace moegnn::ops::cuda {

// Batch statistics: mean and biased variance of each column of x (m × n), two passes.
void column_moments(const Tensor& x, float* mean, float* var);
// inv_std[j] = 1 / sqrt(var[j] + eps).
void inverse_std(const float* var, float eps, Index n, float* inv_std);
// running_mean = (1 - momentum)·running_mean + momentum·mean, running_var likewise with the
// unbiased var·m/(m - 1); writes into new buffers new_mean and new_var.
void update_running(const float* running_mean, const float* running_var, const float* mean,
                    const float* var, Index m, Index n, float momentum, float* new_mean,
                    float* new_var);
// out[i, j] = (x[i, j] - mean[j]) · (inv_std[j] · gamma[j]) + beta[j].
void normalize_columns(const Tensor& x, const float* mean, const float* inv_std, const float* gamma,
                       const float* beta, Tensor& out);
// The backward of batch norm (cpu::batch_norm_backward): dgamma, dbeta and dx are skipped when
// null.
void batch_norm_backward(const Tensor& x, const Tensor& g, const float* mean, const float* inv_std,
                         const float* gamma, bool training, Tensor* dx, float* dgamma,
                         float* dbeta);

// Layer norm of each row (cpu::layer_norm); writes mean and inv_std (m values each).
void layer_norm(const Tensor& x, const float* gamma, const float* beta, float eps, Tensor& out,
                float* mean, float* inv_std);
void layer_norm_backward(const Tensor& x, const Tensor& g, const float* mean, const float* inv_std,
                         const float* gamma, Tensor* dx, float* dgamma, float* dbeta);

}  // namespace moegnn::ops::cuda
