// SPDX-License-Identifier: Apache-2.0
// Sage: a stack of SAGEConv layers for node classification (Hamilton, Ying & Leskovec, 2017,
// Algorithm 1), laid out as PyG's ogbn-arxiv example (models/layer_stack.h): every hidden layer
// is conv -> norm (optional) -> ReLU -> dropout, and the last conv returns the logits. Runs on the
// whole graph or on neighbour-sampled blocks.
#pragma once

#include <vector>

#include "core/rng.h"
#include "layers/sage_conv.h"
#include "models/node/layer_stack.h"
#include "models/node/stack_model.h"

namespace moegnn::models {

struct SageOptions {
  Index in_channels = 0;
  Index hidden_channels = 64;
  Index out_channels = 0;
  Index num_layers = 2;  // convolutions, >= 1
  float dropout = 0.5f;  // after each hidden layer, in training mode only
  bool batch_norm = false;
  ops::Reduce aggr = ops::Reduce::Mean;
  bool layer_norm = false;
  float input_dropout = 0.0f;  // on the input features

  void fields(OptionFields& f) {
    stack_fields(f, *this);
    f.choice(
        "aggr", aggr,
        std::array<std::pair<std::string_view, ops::Reduce>, 3>{
            {{"mean", ops::Reduce::Mean}, {"max", ops::Reduce::Max}, {"sum", ops::Reduce::Sum}}},
        "neighbour aggregation");
  }
};

class Sage final : public StackModel<layers::SAGEConv, SageOptions> {
 public:
  // Throws InvalidArgument on non-positive channels or layers, or dropout outside [0, 1).
  Sage(const SageOptions& options, Rng& rng);

  // The raw structure without edge values (SAGEConv aggregates unweighted, as PyG); no loops added.
  graph::Csr prepare_graph(const graph::Csr& raw) const override;

 private:
  Var apply(layers::SAGEConv& conv, Tape& tape, const graph::Csr& graph, Var h, Rng& /*rng*/,
            bool) override {
    return conv.forward(tape, graph, h);
  }
};

}  // namespace moegnn::models
