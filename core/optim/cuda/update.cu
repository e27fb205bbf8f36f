// SPDX-License-Identifier: Apache-2.0
// The fused SGD and Adam/AdamW element updates on CUDA: one grid-stride kernel per parameter, the
// CPU loop's expressions per element (the host compiler may contract a multiply-add into an FMA
// differently from nvcc, so values agree to a few ulps, not always bit for bit).
#include <cuda_runtime.h>

#include "core/cuda/check.h"
#include "core/cuda/context.h"
#include "core/ops/cuda/kernels.cuh"
#include "core/optim/cuda/update.h"

namespace moegnn::optim::cuda {
namespace {

using ops::cuda::kernels::launch;  // the grid-stride launch of core/ops/cuda

struct SgdStep {
  float* param;
  const float* grad;
  float* buffer;  // null: no momentum
  SgdScalars s;
  __device__ void operator()(long long i) const {
    float g = grad[i] + s.weight_decay * param[i];  // (1)
    if (buffer != nullptr) {
      const float b = s.first ? g : s.momentum * buffer[i] + s.keep * g;  // (2)
      buffer[i] = b;
      g = s.nesterov ? g + s.momentum * b : b;  // (3)
    }
    param[i] = param[i] - s.lr * g;  // (4)
  }
};

struct AdamStepKernel {
  float* param;
  const float* grad;
  float* exp_avg;
  float* exp_avg_sq;
  float* max_exp_avg_sq;  // null without AMSGrad
  AdamScalars s;
  __device__ void operator()(long long i) const {
    const float g = grad[i] + s.coupled_decay * param[i];  // (1) Adam only
    const float m_old = exp_avg[i];
    const float w = s.lerp_weight;  // torch's lerp: two branches with different roundings
    const float m = w < 0.5f ? m_old + w * (g - m_old) : g - (1.0f - w) * (g - m_old);  // (2)
    const float v = exp_avg_sq[i] * s.beta2 + s.one_minus_beta2 * g * g;                // (3)
    exp_avg[i] = m;
    exp_avg_sq[i] = v;
    float v_hat = v;
    if (max_exp_avg_sq != nullptr) {
      v_hat = max_exp_avg_sq[i] < v ? v : max_exp_avg_sq[i];  // (4), std::max's rule
      max_exp_avg_sq[i] = v_hat;
    }
    const float denom = sqrtf(v_hat) / s.bias_correction2_sqrt + s.eps;
    param[i] = param[i] * s.decoupled_factor - s.step_size * (m / denom);  // (5), AdamW (1)
  }
};

}  // namespace

void sgd_update(Tensor& param, const Tensor& grad, Tensor* buffer, const SgdScalars& s) {
  launch(param.size(),
         SgdStep{param.data(), grad.data(), buffer != nullptr ? buffer->data() : nullptr, s});
}

void adam_update(Tensor& param, const Tensor& grad, Tensor& exp_avg, Tensor& exp_avg_sq,
                 Tensor* max_exp_avg_sq, const AdamScalars& s) {
  launch(param.size(),
         AdamStepKernel{param.data(), grad.data(), exp_avg.data(), exp_avg_sq.data(),
                        max_exp_avg_sq != nullptr ? max_exp_avg_sq->data() : nullptr, s});
}

}  // namespace moegnn::optim::cuda
