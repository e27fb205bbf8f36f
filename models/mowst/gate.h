// SPDX-License-Identifier: Apache-2.0
// ConfidenceGate: Mowst's learnable confidence-shaping function G (C = G ∘ D, Prop. 2.2): it maps
// the weak expert's dispersions d_v = [D_var, D_ent] (models/mowst/confidence.h), optionally with
// the node's features, to a confidence C_v = σ(·) in (0, 1). Three input modes follow the
// reference code's --original_data: dispersions only, dispersions ‖ features, and a hypernetwork
// whose per-node weights are generated from the features.
#pragma once

#include <deque>
#include <vector>

#include "core/rng.h"
#include "layers/mlp.h"
#include "layers/module.h"

namespace moegnn::mowst {

enum class GateInput {
  Dispersion,          // C = σ(MLP(d))
  DispersionFeatures,  // C = σ(MLP([d ‖ x]))
  Hypernetwork,        // C = σ((dᵀ W1(x) + b1(x)) · w2(x) + b2(x)), each piece an MLP of x
};

struct GateOptions {
  GateInput input = GateInput::Dispersion;
  Index in_features = 0;       // feature width F; required by the feature modes, ignored otherwise
  Index hidden_channels = 64;  // H1: the gate MLP's width (hypernetwork: width of W1 and b1)
  Index num_layers = 2;        // Linear layers of the gate MLP, >= 1
  float dropout = 0.5f;        // gate MLP's hidden layers, training mode only
  bool batch_norm = false;
  Index hyper_hidden = 64;  // hidden width of each hypernetwork MLP
  Index hyper_num_layers = 2;
  float hyper_dropout = 0.5f;
};

class ConfidenceGate final : public layers::Module {
 public:
  // Throws InvalidArgument on non-positive widths or layers, dropout outside [0, 1), or a feature
  // mode without in_features.
  ConfidenceGate(const GateOptions& options, Rng& rng);

  // dispersion: m × 2, x: m × in_features (read in the feature modes only; pass an invalid Var
  // otherwise) -> confidence m × 1 in (0, 1). `rng` draws dropout masks in training mode.
  // Throws InvalidArgument on a shape mismatch or a missing x.
  Var forward(Tape& tape, Var dispersion, Var x, Rng& rng);

  const GateOptions& options() const { return options_; }

 private:
  GateOptions options_;
  std::deque<layers::MLP> mlps_;  // one gate MLP, or the hypernetwork's W1, b1, w2, b2
};

}  // namespace moegnn::mowst
