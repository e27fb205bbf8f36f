// SPDX-License-Identifier: Apache-2.0
// AdamW (Loshchilov & Hutter, 2019): Adam with weight decay decoupled from the gradient, with
// exactly the update of torch.optim.AdamW, so the same inputs give the same numbers.
#pragma once

#include "core/optim/adam.h"
#include "core/optim/optimizer.h"

namespace moegnn::optim {

// Per parameter, with γ = group lr, λ = group weight_decay, t = steps() + 1 (torch.optim.AdamW):
//   θ' = θ_{t-1}·(1 - γ·λ)                                (1) decoupled decay, before the Adam step
//   m_t, v_t, v̂_t as Adam (2)-(4) on the raw gradient g_t = ∇θ
//   θ_t = θ' - γ/(1 - β1^t) · m_t / (√v̂_t / √(1 - β2^t) + ε)   (5)
// Note PyTorch's AdamW defaults λ to 0.01; here λ is the group's weight_decay (default 0, where
// AdamW equals Adam). State names as Adam's.
class AdamW final : public Optimizer {
 public:
  // Throws InvalidArgument on bad groups (see Optimizer) or β / ε out of range.
  explicit AdamW(std::vector<ParamGroup> groups, const AdamOptions& options = {});

  // One update (1)-(5) of every parameter; throws as Optimizer::step.
  void step() override;

  const AdamOptions& options() const { return options_; }

 private:
  AdamOptions options_;
};

}  // namespace moegnn::optim
