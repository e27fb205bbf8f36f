// SPDX-License-Identifier: Apache-2.0
// Gin: a stack of GINConv layers for node classification (Xu et al., 2019, eq. 4.1), as PyG's
// BasicGNN GIN: layer l's h_Θ is the MLP [in_l, out_l, out_l] (Linear -> ReLU -> Linear), and the
// stack follows the shared layout (models/layer_stack.h): every hidden layer is conv -> norm
// (optional) -> ReLU -> dropout, the last conv returns the logits. Runs on the whole graph or on
// neighbour-sampled blocks.
#pragma once

#include <deque>
#include <vector>

#include "core/rng.h"
#include "layers/gin_conv.h"
#include "models/node/layer_stack.h"
#include "models/node/node_model.h"

namespace moegnn::models {

struct GinOptions {
  Index in_channels = 0;
  Index hidden_channels = 64;
  Index out_channels = 0;
  Index num_layers = 2;  // convolutions, >= 1
  float dropout = 0.5f;  // after each hidden layer, in training mode only
  bool batch_norm = false;
  bool train_eps = false;  // learn each layer's ε (starting at eps)
  bool layer_norm = false;
  float input_dropout = 0.0f;  // on the input features
  float eps = 0.0f;            // ε of every layer (fixed, or the initial value when train_eps)

  void fields(OptionFields& f) {
    stack_fields(f, *this);
    f.field("eps", eps, "epsilon of the root term (fixed, or the start when train-eps)");
    f.field("train-eps", train_eps, "learn epsilon");
  }
};

class Gin final : public NodeModel {
 public:
  using Options = GinOptions;

  // Throws InvalidArgument on non-positive channels or layers, or dropout outside [0, 1).
  Gin(const GinOptions& options, Rng& rng);

  // The raw structure without edge values (GIN sums unweighted); no loops added (the root term
  // (1 + ε) x_i plays their part).
  graph::Csr prepare(const graph::Csr& raw) const override;

  // graph: prepare()'s result; x: num_nodes × in_channels -> logits num_nodes × out_channels.
  // Throws InvalidArgument on a shape mismatch.
  Var forward(Tape& tape, const graph::Csr& graph, Var x, Rng& rng) override;
  // One block per layer, sampled from prepare()'s graph. Throws InvalidArgument otherwise.
  Var forward_blocks(Tape& tape, const std::vector<graph::Block>& blocks, Var x,
                     Rng& rng) override;


  Index num_hops() const override { return options_.num_layers; }
  const GinOptions& options() const { return options_; }
  std::deque<layers::GINConv>& convs() { return stack_.convs(); }

 private:
  GinOptions options_;
  LayerStack<layers::GINConv> stack_;
};

}  // namespace moegnn::models
