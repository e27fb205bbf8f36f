// SPDX-License-Identifier: Apache-2.0
// Sage: a stack of SAGEConv layers for node classification (Hamilton, Ying & Leskovec, 2017,
// Algorithm 1), laid out as PyG's ogbn-arxiv example (models/layer_stack.h): every hidden layer
// is conv -> norm (optional) -> ReLU -> dropout, and the last conv returns the logits. Runs on the
// whole graph or on neighbour-sampled blocks.
#pragma once

#include <deque>
#include <vector>

#include "core/rng.h"
#include "layers/sage_conv.h"
#include "models/node/layer_stack.h"
#include "models/node/node_model.h"

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
    f.choice("aggr", aggr,
             std::array<std::pair<std::string_view, ops::Reduce>, 3>{
                 {{"mean", ops::Reduce::Mean}, {"max", ops::Reduce::Max}, {"sum", ops::Reduce::Sum}}},
             "neighbour aggregation");
  }
};

class Sage final : public NodeModel {
 public:
  using Options = SageOptions;

  // Throws InvalidArgument on non-positive channels or layers, or dropout outside [0, 1).
  Sage(const SageOptions& options, Rng& rng);

  // The raw structure without edge values (SAGEConv aggregates unweighted, as PyG); no loops added.
  graph::Csr prepare(const graph::Csr& raw) const override;

  // graph: prepare()'s result; x: num_nodes × in_channels -> logits num_nodes × out_channels.
  // Throws InvalidArgument on a shape mismatch.
  Var forward(Tape& tape, const graph::Csr& graph, Var x, Rng& rng) override;
  // One block per layer (blocks.size() == num_layers), sampled from prepare()'s graph (the
  // blocks' edge values, if any, would weight the mean). Throws InvalidArgument otherwise.
  Var forward_blocks(Tape& tape, const std::vector<graph::Block>& blocks, Var x,
                     Rng& rng) override;


  Index num_hops() const override { return options_.num_layers; }
  const SageOptions& options() const { return options_; }
  std::deque<layers::SAGEConv>& convs() { return stack_.convs(); }

 private:
  SageOptions options_;
  LayerStack<layers::SAGEConv> stack_;
};

}  // namespace moegnn::models
