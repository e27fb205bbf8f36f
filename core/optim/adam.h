// SPDX-License-Identifier: Apache-2.0
// Adam (Kingma & Ba, 2015) with coupled L2 weight decay and optional AMSGrad (Reddi et al., 2018),
// with exactly the update of torch.optim.Adam, so the same inputs give the same numbers.
#pragma once

#include "core/optim/optimizer.h"

namespace moegnn::optim {

struct AdamOptions {
  float beta1 = 0.9f;    // β1 in [0, 1)
  float beta2 = 0.999f;  // β2 in [0, 1)
  float eps = 1e-8f;     // ε >= 0
  bool amsgrad = false;  // keep the running maximum of v (AMSGrad)
};

// Per parameter, with γ = group lr, λ = group weight_decay, t = steps() + 1 (torch.optim.Adam):
//   g_t = ∇θ + λ·θ_{t-1}                                (1) coupled L2 decay
//   m_t = m_{t-1} + (1 - β1)·(g_t - m_{t-1})             (2) torch's lerp
//   v_t = β2·v_{t-1} + (1 - β2)·g_t²                     (3)
//   v̂_t = max(v̂_{t-1}, v_t) with AMSGrad, else v_t     (4)
//   θ_t = θ_{t-1} - γ/(1 - β1^t) · m_t / (√v̂_t / √(1 - β2^t) + ε)   (5)
// State per parameter: "exp_avg" (m), "exp_avg_sq" (v) and, with AMSGrad, "max_exp_avg_sq" (v̂).
class Adam final : public Optimizer {
 public:
  // Throws InvalidArgument on bad groups (see Optimizer) or β / ε out of range.
  explicit Adam(std::vector<ParamGroup> groups, const AdamOptions& options = {});

  // One update (1)-(5) of every parameter; throws as Optimizer::step.
  void step() override;

  const AdamOptions& options() const { return options_; }

 private:
  AdamOptions options_;
};

}  // namespace moegnn::optim
