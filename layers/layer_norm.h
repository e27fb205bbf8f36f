// SPDX-License-Identifier: Apache-2.0
// LayerNorm: per-row normalisation over the features (Ba, Kiros & Hinton, 2016), the layer around
// ops::layer_norm. It owns the affine parameters (gamma "weight" = 1, beta "bias" = 0, as
// torch.nn.LayerNorm); there are no running statistics, so training and evaluation agree.
#pragma once

#include <vector>

#include "layers/module.h"

namespace moegnn::layers {

struct LayerNormOptions {
  Index num_features = 0;
  float eps = 1e-5f;
};

class LayerNorm final : public Module {
 public:
  // Throws InvalidArgument unless num_features > 0 and eps > 0.
  explicit LayerNorm(const LayerNormOptions& options);

  // x: m × num_features -> m × num_features; each row to zero mean and unit (biased) variance,
  // then gamma ⊙ · + beta. Throws InvalidArgument on a column mismatch.
  Var forward(Tape& tape, Var x);

  // Registered parameters: "weight" (gamma), "bias" (beta), both 1 × num_features.

  const LayerNormOptions& options() const { return options_; }
  Parameter& weight() { return gamma_; }
  Parameter& bias() { return beta_; }

 private:
  LayerNormOptions options_;
  Parameter gamma_;
  Parameter beta_;
};

}  // namespace moegnn::layers
