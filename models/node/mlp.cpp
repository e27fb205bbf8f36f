// SPDX-License-Identifier: Apache-2.0
// Mlp model: the shared option checks, then a layers::MLP with the stack's layout.
#include "models/node/mlp.h"

#include "core/error.h"
#include "core/ops/nn.h"
#include "models/node/layer_stack.h"

namespace moegnn::models {
namespace {

layers::MLPOptions mlp_options(const MlpOptions& o) {
  const StackOptions stack = stack_options(o, layers::Activation::Relu);
  check_stack_options("Mlp", stack);
  using Norm = layers::MLPOptions::Norm;
  return {.in_channels = o.in_channels,
          .hidden_channels = o.hidden_channels,
          .out_channels = o.out_channels,
          .num_layers = o.num_layers,
          .norm = o.batch_norm ? Norm::BatchNorm : (o.layer_norm ? Norm::LayerNorm : Norm::None),
          .dropout = o.dropout,
          .act = stack.act};
}

}  // namespace

Mlp::Mlp(const MlpOptions& options, Rng& rng)
    : options_(options),
      mlp_(mlp_options(options), rng) {
  register_module("", mlp_);  // keeps the MLP's names: lin0.weight, norm0.weight, ...
}

Var Mlp::forward_graph(Tape& tape, const graph::Csr& /*graph*/, Var x, Rng& rng) {
  check_forward_input("Mlp::forward", x, options_.in_channels, -1);
  return mlp_.forward(tape, ops::dropout(tape, x, options_.input_dropout, rng, training()), rng);
}

}  // namespace moegnn::models
