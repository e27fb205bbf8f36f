// SPDX-License-Identifier: Apache-2.0
// BatchNorm layer: parameters, running statistics and forward.
#include "layers/batch_norm.h"

#include "core/error.h"

namespace moegnn::layers {

BatchNorm::BatchNorm(const BatchNormOptions& options) : options_(options) {
  MOEGNN_CHECK_AS(InvalidArgument, "BatchNorm", options.num_features > 0, "num_features is ",
                  options.num_features, " vs > 0");
  MOEGNN_CHECK_AS(InvalidArgument, "BatchNorm", options.momentum >= 0.0f && options.momentum <= 1.0f,
                  "momentum is ", options.momentum, " vs [0, 1]");
  MOEGNN_CHECK_AS(InvalidArgument, "BatchNorm", options.eps > 0.0f, "eps is ", options.eps,
                  " vs > 0");
  gamma_ = Parameter(Tensor::ones(1, options.num_features), "weight");
  beta_ = Parameter(Tensor::zeros(1, options.num_features), "bias");
  stats_.running_mean = Tensor::zeros(1, options.num_features);
  stats_.running_var = Tensor::ones(1, options.num_features);
  register_parameter("weight", gamma_);
  register_parameter("bias", beta_);
  register_buffer("running_mean", stats_.running_mean);
  register_buffer("running_var", stats_.running_var);
  register_buffer("num_batches_tracked", stats_.num_batches);
}

Var BatchNorm::forward(Tape& tape, Var x) {
  MOEGNN_CHECK_AS(InvalidArgument, "BatchNorm::forward", x.cols() == options_.num_features,
                  "x has ", x.cols(), " columns vs num_features = ", options_.num_features);
  return ops::batch_norm(tape, x, tape.param(gamma_), tape.param(beta_), stats_, training(),
                         options_.momentum, options_.eps);
}

}  // namespace moegnn::layers
