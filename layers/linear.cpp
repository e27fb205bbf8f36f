// SPDX-License-Identifier: Apache-2.0
// Linear layer: construction and forward.
#include "layers/linear.h"

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/linalg.h"
#include "layers/init.h"

namespace moegnn::layers {

Linear::Linear(const LinearOptions& options, Rng& rng) : options_(options) {
  MOEGNN_CHECK_AS(InvalidArgument, "Linear", options.in_channels > 0 && options.out_channels > 0,
                  "channels must be positive: in ", options.in_channels, ", out ",
                  options.out_channels, " vs > 0");
  weight_ = Parameter(glorot_uniform(options.in_channels, options.out_channels, rng), "weight");
  register_parameter("weight", weight_);
  if (options.bias) bias_ = Parameter(Tensor::zeros(1, options.out_channels), "bias");
  if (options.bias) register_parameter("bias", bias_);
}

Var Linear::forward(Tape& tape, Var x) {
  MOEGNN_CHECK_AS(InvalidArgument, "Linear::forward", x.cols() == options_.in_channels,
                  "x has ", x.cols(), " columns vs in_channels = ", options_.in_channels);
  const Var h = ops::matmul(tape, x, tape.param(weight_));
  // In place over the product, which only this op reads (the matmul rule reads x and W).
  return options_.bias ? ops::add_bias_(tape, h, tape.param(bias_)) : h;
}

}  // namespace moegnn::layers
