// SPDX-License-Identifier: Apache-2.0
// Gcn: a stack of GCNConv layers for node classification (Kipf & Welling, 2017, eq. 9), laid out
// as PyG's OGB ogbn-arxiv example (models/layer_stack.h): every hidden layer is conv -> norm
// (optional) -> ReLU -> dropout, and the last conv returns the logits (no softmax:
// ops::cross_entropy fuses it). input_dropout > 0 adds the paper's dropout on the input features.
#pragma once

#include <vector>

#include "core/rng.h"
#include "graph/csr.h"
#include "layers/gcn_conv.h"
#include "models/node/layer_stack.h"
#include "models/node/stack_model.h"

namespace moegnn::models {

struct GcnOptions {
  Index in_channels = 0;
  Index hidden_channels = 64;
  Index out_channels = 0;
  Index num_layers = 2;  // convolutions, >= 1; a 1-layer Gcn is a single conv to the logits
  float dropout = 0.5f;  // after each hidden layer, in training mode only
  bool batch_norm = false;
  bool layer_norm = false;
  float input_dropout = 0.0f;  // on the input features (Kipf & Welling: 0.5)

  void fields(OptionFields& f) { stack_fields(f, *this); }
};

class Gcn final : public StackModel<layers::GCNConv, GcnOptions> {
 public:
  // Throws InvalidArgument on non-positive channels or layers, or dropout outside [0, 1).
  Gcn(const GcnOptions& options, Rng& rng);

  // Â = D^-1/2 (A + I) D^-1/2 of `raw` (graph::gcn_norm, loops added where missing). Blocks are
  // sampled from this Â, so they carry the whole graph's normalisation (with fanout -1 the result
  // equals forward's rows). Throws InvalidArgument for a non-square graph.
  graph::Csr prepare_graph(const graph::Csr& raw) const override;

 private:
  Var apply(layers::GCNConv& conv, Tape& tape, const graph::Csr& graph, Var h, Rng& /*rng*/,
            bool block) override {
    return block ? conv.forward_block(tape, graph, h) : conv.forward(tape, graph, h);
  }
};

}  // namespace moegnn::models
