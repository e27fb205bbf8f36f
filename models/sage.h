// SPDX-License-Identifier: Apache-2.0
// Sage: a stack of SAGEConv layers for node classification (Hamilton, Ying & Leskovec, 2017), laid
// out as Gcn and PyG's ogbn-arxiv example: every hidden layer is conv -> BatchNorm (optional) ->
// ReLU -> dropout, and the last conv returns the logits.
#pragma once

#include <vector>

#include "core/rng.h"
#include "layers/batch_norm.h"
#include "layers/sage_conv.h"
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

  // conv0.lin_l.weight, conv0.lin_l.bias, conv0.lin_r.weight, bn0.weight, bn0.bias, conv1...
  std::vector<Parameter*> parameters() override;
  void train(bool on = true) override;

  const SageOptions& options() const { return options_; }
  std::vector<layers::SAGEConv>& convs() { return convs_; }
  std::vector<layers::BatchNorm>& batch_norms() { return batch_norms_; }

 private:
  SageOptions options_;
  std::vector<layers::SAGEConv> convs_;
  std::vector<layers::BatchNorm> batch_norms_;  // one per hidden layer when options_.batch_norm
};

}  // namespace moegnn::models
