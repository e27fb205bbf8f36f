// SPDX-License-Identifier: Apache-2.0
// Stochastic gradient descent with momentum, dampening, Nesterov momentum and coupled (L2) weight
// decay, with exactly the update of torch.optim.SGD, so the same inputs give the same numbers.
#pragma once

#include "core/optim/optimizer.h"

namespace moegnn::optim {

struct SgdOptions {
  float momentum = 0.0f;   // μ >= 0; 0 keeps no buffer
  float dampening = 0.0f;  // τ in [0, 1]
  bool nesterov = false;   // needs μ > 0 and τ = 0 (as PyTorch)
};

// Per parameter, with γ = group lr, λ = group weight_decay, t = 1, 2, ... (torch.optim.SGD):
//   g_t = ∇θ + λ·θ                                   (1) coupled L2 decay
//   b_1 = g_1;  b_t = μ·b_{t-1} + (1 - τ)·g_t          (2) when μ != 0
//   g_t = g_t + μ·b_t (Nesterov)  or  g_t = b_t       (3) when μ != 0
//   θ_t = θ_{t-1} - γ·g_t                             (4)
// State: "momentum_buffer" per parameter when μ != 0.
class Sgd final : public Optimizer {
 public:
  // Throws InvalidArgument on bad groups (see Optimizer), momentum < 0, dampening outside [0, 1],
  // or nesterov without momentum > 0 and dampening == 0.
  explicit Sgd(std::vector<ParamGroup> groups, const SgdOptions& options = {});

  // One update (1)-(4) of every parameter; throws as Optimizer::step.
  void step() override;

  const SgdOptions& options() const { return options_; }

 private:
  SgdOptions options_;
};

}  // namespace moegnn::optim
