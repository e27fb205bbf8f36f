// SPDX-License-Identifier: Apache-2.0
// Linear: the dense affine map y = x · W + b applied to every row (node) independently. W is
// in_channels × out_channels (so the product needs no transpose), Glorot-uniform initialised, and
// b starts at zero, as PyG's Linear with weight_initializer="glorot".
#pragma once

#include <vector>

#include "core/rng.h"
#include "layers/module.h"

namespace moegnn::layers {

struct LinearOptions {
  Index in_channels = 0;
  Index out_channels = 0;
  bool bias = true;
};

class Linear final : public Module {
 public:
  // Throws InvalidArgument unless both channel counts are positive.
  Linear(const LinearOptions& options, Rng& rng);

  // x: m × in_channels -> m × out_channels. Throws InvalidArgument on a column mismatch.
  Var forward(Tape& tape, Var x);

  // Registered parameters: "weight" (in × out), then "bias" (1 × out) when options.bias.

  const LinearOptions& options() const { return options_; }
  Parameter& weight() { return weight_; }
  Parameter& bias() { return bias_; }

 private:
  LinearOptions options_;
  Parameter weight_;
  Parameter bias_;  // empty when !options_.bias
};

}  // namespace moegnn::layers
