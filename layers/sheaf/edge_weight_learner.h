// SPDX-License-Identifier: Apache-2.0
// EdgeWeightLearner: the edge weights of O(d)-NSD (Bodnar et al., 2022, §4: F_{u◁e} = w_e Q_{u◁e}).
// Per directed edge s_k = sigmoid(a · [x_u ‖ x_v]) (no bias), then the symmetric weight
// w_e = s_(u,v) · s_(v,u), the same for both directions of e.
#pragma once

#include "core/rng.h"
#include "layers/module.h"
#include "layers/sheaf/sheaf_pattern.h"

namespace moegnn::layers::sheaf {

class EdgeWeightLearner final : public Module {
 public:
  // Weight U(±1/√(2·in)). Throws InvalidArgument unless in_channels > 0.
  EdgeWeightLearner(Index in_channels, Rng& rng);
  // x: N × in_channels -> 2E × 1 symmetric weights in (0, 1). Throws InvalidArgument on a shape
  // mismatch.
  Var forward(Tape& tape, const SheafPattern& pattern, Var x);

 private:
  Index in_channels_;
  Parameter weight_;  // in_channels × 2
};

}  // namespace moegnn::layers::sheaf
