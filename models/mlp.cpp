// SPDX-License-Identifier: Apache-2.0
// Mlp model: option checks and forward (a layers::MLP with the Gcn layout).
#include "models/mlp.h"

#include "core/error.h"

namespace moegnn::models {
namespace {

layers::MLPOptions mlp_options(const MlpOptions& o) {
  MOEGNN_CHECK_AS(InvalidArgument, "Mlp", o.num_layers >= 1, "num_layers is ", o.num_layers,
                  " vs >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, "Mlp",
                  o.in_channels > 0 && o.out_channels > 0 &&
                      (o.num_layers == 1 || o.hidden_channels > 0),
                  "channels must be positive: in ", o.in_channels, ", hidden ", o.hidden_channels,
                  ", out ", o.out_channels, " vs > 0");
  MOEGNN_CHECK_AS(InvalidArgument, "Mlp", o.dropout >= 0.0f && o.dropout < 1.0f, "dropout is ",
                  o.dropout, " vs [0, 1)");
  return {.in_channels = o.in_channels,
          .hidden_channels = o.hidden_channels,
          .out_channels = o.out_channels,
          .num_layers = o.num_layers,
          .norm =
              o.batch_norm ? layers::MLPOptions::Norm::BatchNorm : layers::MLPOptions::Norm::None,
          .dropout = o.dropout,
          .act = layers::Activation::Relu};
}

}  // namespace

Mlp::Mlp(const MlpOptions& options, Rng& rng)
    : options_(options),
      mlp_(mlp_options(options), rng) {}

Var Mlp::forward(Tape& tape, const graph::Csr& /*graph*/, Var x, Rng& rng) {
  MOEGNN_CHECK_AS(InvalidArgument, "Mlp::forward", x.cols() == options_.in_channels, "x has ",
                  x.cols(), " columns vs in_channels = ", options_.in_channels);
  return mlp_.forward(tape, x, rng);
}

void Mlp::train(bool on) {
  Module::train(on);
  mlp_.train(on);
}

}  // namespace moegnn::models
