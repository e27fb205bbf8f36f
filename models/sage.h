// SPDX-License-Identifier: Apache-2.0
// Sage: a stack of SAGEConv layers for node classification (Hamilton, Ying & Leskovec, 2017,
// Algorithm 1), laid out as PyG's ogbn-arxiv example (models/layer_stack.h): every hidden layer
// is conv -> norm (optional) -> ReLU -> dropout, and the last conv returns the logits. Runs on the
// whole graph or on neighbour-sampled blocks.
#pragma once

#include <vector>

#include "core/rng.h"
#include "layers/sage_conv.h"
#include "models/layer_stack.h"
#include "models/node_model.h"

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
};

class Sage final : public NodeModel {
 public:
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

  // conv0.lin_l.weight, conv0.lin_l.bias, conv0.lin_r.weight, bn0.weight, bn0.bias, conv1...
  std::vector<Parameter*> parameters() override;
  void train(bool on = true) override;

  const SageOptions& options() const { return options_; }
  std::vector<layers::SAGEConv>& convs() { return stack_.convs(); }
  std::vector<layers::BatchNorm>& batch_norms() override { return stack_.batch_norms(); }

 private:
  SageOptions options_;
  LayerStack<layers::SAGEConv> stack_;
};

}  // namespace moegnn::models
