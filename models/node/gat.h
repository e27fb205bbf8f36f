// SPDX-License-Identifier: Apache-2.0
// Gat: a stack of GATConv layers for node classification (Veličković et al., 2018), in the shared
// layout (models/layer_stack.h) with the paper's and PyG's example choices: hidden layers run
// `heads` attention heads of hidden_channels each, concatenated (eq. 5), then norm (optional) ->
// ELU -> dropout; the last layer runs output_heads heads averaged (eq. 6) to the logits. Attention
// dropout applies to the coefficients of every layer, input_dropout to the input features
// (the paper's setup: 0.6 for both), in training only.
#pragma once

#include <vector>

#include "core/rng.h"
#include "layers/gat_conv.h"
#include "models/node/layer_stack.h"
#include "models/node/stack_model.h"

namespace moegnn::models {

struct GatOptions {
  Index in_channels = 0;
  Index hidden_channels = 8;  // per head: hidden layers output heads · hidden_channels
  Index out_channels = 0;
  Index num_layers = 2;  // convolutions, >= 1
  Index heads = 8;       // hidden layers
  Index output_heads = 1;
  float dropout = 0.5f;            // on features after each hidden layer, training only
  float attention_dropout = 0.0f;  // on attention coefficients (PyG's Cora example: 0.6)
  bool batch_norm = false;
  bool layer_norm = false;
  float input_dropout = 0.0f;  // on the input features (the paper: 0.6)

  void fields(OptionFields& f) {
    stack_fields(f, *this, "hidden channels per head");
    f.field("heads", heads, "attention heads of the hidden layers", {1, 1024});
    f.field("output-heads", output_heads, "heads of the last layer (averaged)", {1, 1024});
    f.field("attention-dropout", attention_dropout, "dropout on attention coefficients",
            {0.0, 0.999});
  }
};

class Gat final : public StackModel<layers::GATConv, GatOptions> {
 public:
  // Throws InvalidArgument on non-positive channels, layers or heads, or dropouts outside [0, 1).
  Gat(const GatOptions& options, Rng& rng);

  // The raw structure with one self-loop per node (existing loops replaced), as PyG's GATConv. A
  // destination of a sampled block attends over its sampled in-edges (its self-loop included when
  // it was drawn; full-neighbour blocks keep it). Throws InvalidArgument for a non-square graph.
  graph::Csr prepare_graph(const graph::Csr& raw) const override;

 private:
  Var apply(layers::GATConv& conv, Tape& tape, const graph::Csr& graph, Var h, Rng& rng,
            bool) override {
    return conv.forward(tape, graph, h, rng);
  }
};

}  // namespace moegnn::models
