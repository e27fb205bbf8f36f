// SPDX-License-Identifier: Apache-2.0
// Gin: a stack of GINConv layers for node classification (Xu et al., 2019, eq. 4.1), as PyG's
// BasicGNN GIN: layer l's h_Θ is the MLP [in_l, out_l, out_l] (Linear -> norm -> ReLU -> Linear,
// the norm only with batch_norm / layer_norm, as PyG passes `norm` to the MLP), and the
// stack follows the shared layout (models/layer_stack.h): every hidden layer is conv -> norm
// (optional) -> ReLU -> dropout, the last conv returns the logits. Runs on the whole graph or on
// neighbour-sampled blocks.
#pragma once

#include <vector>

#include "core/rng.h"
#include "layers/gin_conv.h"
#include "models/node/layer_stack.h"
#include "models/node/stack_model.h"

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

class Gin final : public StackModel<layers::GINConv, GinOptions> {
 public:
  // Throws InvalidArgument on non-positive channels or layers, or dropout outside [0, 1).
  Gin(const GinOptions& options, Rng& rng);

  // The raw structure without edge values (GIN sums unweighted); no loops added (the root term
  // (1 + ε) x_i plays their part).
  graph::Csr prepare_graph(const graph::Csr& raw) const override;

 private:
  Var apply(layers::GINConv& conv, Tape& tape, const graph::Csr& graph, Var h, Rng& rng,
            bool) override {
    return conv.forward(tape, graph, h, rng);
  }
};

}  // namespace moegnn::models
