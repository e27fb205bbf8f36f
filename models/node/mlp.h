// SPDX-License-Identifier: Apache-2.0
// Mlp: node classification from the features alone (a layers::MLP with the shared layout of
// models/layer_stack.h: Linear -> norm (optional) -> ReLU -> dropout per hidden layer, a plain last
// Linear). The graph is ignored, so it is the baseline that shows what the structure adds (the
// "MLP" rows of Geom-GCN and LINKX tables) and the floor every GNN must beat.
#pragma once

#include <vector>

#include "core/rng.h"
#include "layers/mlp.h"
#include "models/node/layer_stack.h"
#include "models/node/node_model.h"

namespace moegnn::models {

struct MlpOptions {
  Index in_channels = 0;
  Index hidden_channels = 64;
  Index out_channels = 0;
  Index num_layers = 2;  // Linear layers, >= 1
  float dropout = 0.5f;  // after each hidden layer, in training mode only
  bool batch_norm = false;
  bool layer_norm = false;
  float input_dropout = 0.0f;  // on the input features

  void fields(OptionFields& f) { stack_fields(f, *this, "hidden units"); }
};

class Mlp final : public NodeModel {
 public:
  using Options = MlpOptions;

  // Throws InvalidArgument on non-positive channels or layers, or dropout outside [0, 1).
  Mlp(const MlpOptions& options, Rng& rng);

  // The graph is not read: returns `raw` unchanged (a shared copy, no work).
  graph::Csr prepare_graph(const graph::Csr& raw) const override { return raw; }

  // x: m × in_channels -> logits m × out_channels; `graph` is ignored (any row count works).
  // Throws InvalidArgument on a column mismatch.
  Var forward_graph(Tape& tape, const graph::Csr& graph, Var x, Rng& rng) override;


  Index num_hops() const override { return 0; }
  const MlpOptions& options() const { return options_; }
  layers::MLP& mlp() { return mlp_; }

 private:
  MlpOptions options_;
  layers::MLP mlp_;
};

}  // namespace moegnn::models
