// SPDX-License-Identifier: Apache-2.0
// The Adam/AdamW element loop (equations in adam.h and adamw.h). Each element's update reads and
// writes only that element, so chunking over threads cannot change a bit of the result.
#include "core/optim/detail/adam_update.h"

#include <algorithm>
#include <cmath>

#include "core/config.h"
#include "core/error.h"
#include "core/optim/cuda/update.h"
#include "core/optim/detail/grain.h"
#include "core/parallel.h"

namespace moegnn::optim::detail {
namespace {

struct AdamBuffers {
  float* param;
  const float* grad;
  float* exp_avg;
  float* exp_avg_sq;
  float* max_exp_avg_sq;  // null without AMSGrad
};

// kLowWeight picks torch's lerp branch: weight < 0.5 ? m + w·(g - m) : g - (1 - w)·(g - m).
template <bool kAmsgrad, bool kLowWeight>
void adam_range(const AdamBuffers& b, Index lo, Index hi, const AdamStep& s) {
  // Local restrict copies: the buffers never overlap, which lets the loop vectorise.
  float* __restrict param = b.param;
  const float* __restrict grad = b.grad;
  float* __restrict exp_avg = b.exp_avg;
  float* __restrict exp_avg_sq = b.exp_avg_sq;
  float* __restrict max_exp_avg_sq = b.max_exp_avg_sq;
  // Scalars in locals: loads through `s` inside the loop would block vectorisation.
  const float w = s.lerp_weight;
  const float one_minus_w = 1.0f - w;
  const float beta2 = s.beta2;
  const float one_minus_beta2 = s.one_minus_beta2;
  const float eps = s.eps;
  const float step_size = s.step_size;
  const float bias_correction2_sqrt = s.bias_correction2_sqrt;
  const float coupled_decay = s.coupled_decay;
  const float decoupled_factor = s.decoupled_factor;
  for (Index i = lo; i < hi; ++i) {
    const float g = grad[i] + coupled_decay * param[i];  // (1) Adam only
    const float m_old = exp_avg[i];
    const float m = kLowWeight ? m_old + w * (g - m_old) : g - one_minus_w * (g - m_old);  // (2)
    const float v = exp_avg_sq[i] * beta2 + one_minus_beta2 * g * g;                       // (3)
    exp_avg[i] = m;
    exp_avg_sq[i] = v;
    float v_hat = v;
    if constexpr (kAmsgrad) {
      v_hat = std::max(max_exp_avg_sq[i], v);  // (4)
      max_exp_avg_sq[i] = v_hat;
    }
    const float denom = std::sqrt(v_hat) / bias_correction2_sqrt + eps;
    param[i] = param[i] * decoupled_factor - step_size * (m / denom);  // (5), AdamW (1)
  }
}

}  // namespace

std::vector<std::string> adam_slots(const char* function, const AdamOptions& options) {
  MOEGNN_CHECK_AS(InvalidArgument, function, options.beta1 >= 0.0f && options.beta1 < 1.0f,
                  "beta1 ", options.beta1, " vs a value in [0, 1)");
  MOEGNN_CHECK_AS(InvalidArgument, function, options.beta2 >= 0.0f && options.beta2 < 1.0f,
                  "beta2 ", options.beta2, " vs a value in [0, 1)");
  MOEGNN_CHECK_AS(InvalidArgument, function, std::isfinite(options.eps) && options.eps >= 0.0f,
                  "eps ", options.eps, " vs a finite value >= 0");
  if (options.amsgrad) return {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"};
  return {"exp_avg", "exp_avg_sq"};
}

AdamStep adam_step(const AdamOptions& options, Index t, float lr, float coupled_decay,
                   float decoupled_decay) {
  const auto beta1 = static_cast<double>(options.beta1);
  const auto beta2 = static_cast<double>(options.beta2);
  const auto step = static_cast<double>(t);
  const double bias_correction1 = 1.0 - std::pow(beta1, step);
  const double bias_correction2 = 1.0 - std::pow(beta2, step);
  AdamStep s{};
  s.lerp_weight = static_cast<float>(1.0 - beta1);
  s.beta2 = options.beta2;
  s.one_minus_beta2 = static_cast<float>(1.0 - beta2);
  s.eps = options.eps;
  s.step_size = static_cast<float>(static_cast<double>(lr) / bias_correction1);
  s.bias_correction2_sqrt = static_cast<float>(std::sqrt(bias_correction2));
  s.coupled_decay = coupled_decay;
  s.decoupled_factor =
      static_cast<float>(1.0 - static_cast<double>(lr) * static_cast<double>(decoupled_decay));
  s.amsgrad = options.amsgrad;
  return s;
}

void adam_update(Parameter& p, std::vector<Tensor>& slots, const AdamStep& s) {
  if (p.value.device() == Device::Cuda) {  // one fused kernel per parameter
    if constexpr (build::kWithCuda) {
      cuda::adam_update(p.value, p.grad, slots[0], slots[1], s.amsgrad ? &slots[2] : nullptr,
                        {s.lerp_weight, s.beta2, s.one_minus_beta2, s.eps, s.step_size,
                         s.bias_correction2_sqrt, s.coupled_decay, s.decoupled_factor});
      return;
    } else {
      MOEGNN_FAIL(Unsupported, "Adam::step",
                  "CUDA parameters in a build with MOEGNN_WITH_CUDA=OFF");
    }
  }
  const AdamBuffers b{p.value.data(), p.grad.data(), slots[0].data(), slots[1].data(),
                      s.amsgrad ? slots[2].data() : nullptr};
  const bool low_weight = s.lerp_weight < 0.5f;
  parallel_for_range(
      0, p.value.size(),
      [&](Index lo, Index hi) {
        if (s.amsgrad)
          low_weight ? adam_range<true, true>(b, lo, hi, s) : adam_range<true, false>(b, lo, hi, s);
        else
          low_weight ? adam_range<false, true>(b, lo, hi, s)
                     : adam_range<false, false>(b, lo, hi, s);
      },
      kElementGrain);
}

}  // namespace moegnn::optim::detail
