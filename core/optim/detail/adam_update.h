// SPDX-License-Identifier: Apache-2.0
// Private to core/optim: the element update Adam and AdamW share. Adam passes its λ as the coupled
// decay and 1 as the decoupled factor; AdamW passes 0 and 1 - γ·λ. Both neutral values leave every
// bit unchanged (g + 0·θ == g and θ·1 == θ for finite θ), so one loop serves both.
#pragma once

#include <string>
#include <vector>

#include "core/optim/adam.h"

namespace moegnn::optim::detail {

// Scalars of one step for one group; bias corrections are computed in double, as PyTorch's Python
// floats are, then rounded once.
struct AdamStep {
  float lerp_weight;            // 1 - β1
  float beta2;                  // β2
  float one_minus_beta2;        // 1 - β2
  float eps;                    // ε
  float step_size;              // γ / (1 - β1^t)
  float bias_correction2_sqrt;  // √(1 - β2^t)
  float coupled_decay;          // λ (Adam) or 0 (AdamW)
  float decoupled_factor;       // 1 (Adam) or 1 - γ·λ (AdamW)
  bool amsgrad;
};

// Validates β1, β2, ε (throws InvalidArgument naming `function`) and returns the slot names.
std::vector<std::string> adam_slots(const char* function, const AdamOptions& options);

// The step's scalars for step t (1-based) with learning rate lr.
AdamStep adam_step(const AdamOptions& options, Index t, float lr, float coupled_decay,
                   float decoupled_decay);

// Updates p.value and the slots (exp_avg, exp_avg_sq[, max_exp_avg_sq]) from p.grad; all CPU, all
// of p.value's shape (checked by the caller). Deterministic on any thread count.
void adam_update(Parameter& p, std::vector<Tensor>& slots, const AdamStep& s);

}  // namespace moegnn::optim::detail
