// SPDX-License-Identifier: Apache-2.0
// LayerNorm layer: parameters and forward.
#include "layers/layer_norm.h"

#include <cmath>

#include "core/error.h"
#include "core/ops/nn.h"

namespace moegnn::layers {

LayerNorm::LayerNorm(const LayerNormOptions& options) : options_(options) {
  MOEGNN_CHECK_AS(InvalidArgument, "LayerNorm", options.num_features > 0, "num_features is ",
                  options.num_features, " vs > 0");
  MOEGNN_CHECK_AS(InvalidArgument, "LayerNorm", options.eps > 0.0f && std::isfinite(options.eps),
                  "eps is ", options.eps, " vs a finite value > 0");
  gamma_ = Parameter(Tensor::ones(1, options.num_features), "weight");
  beta_ = Parameter(Tensor::zeros(1, options.num_features), "bias");
  register_parameter("weight", gamma_);
  register_parameter("bias", beta_);
}

Var LayerNorm::forward(Tape& tape, Var x) {
  MOEGNN_CHECK_AS(InvalidArgument, "LayerNorm::forward", x.cols() == options_.num_features,
                  "x has ", x.cols(), " columns vs num_features = ", options_.num_features);
  return ops::layer_norm(tape, x, tape.param(gamma_), tape.param(beta_), options_.eps);
}

}  // namespace moegnn::layers
