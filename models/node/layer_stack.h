// SPDX-License-Identifier: Apache-2.0
// LayerStack: the layer layout every baseline node-classification model shares (PyG's BasicGNN and
// its OGB examples): optional dropout on the input, then for each hidden layer
// conv -> norm (BatchNorm or LayerNorm, optional) -> activation -> dropout, and a last conv that
// returns the logits. The model supplies the conv type, each layer's conv options and how a conv
// is called (on the whole graph or on a sampled block); the stack owns the layers, registers them
// ("conv0.", "bn0." / "ln0.", "conv1.", ...), checks the shared options and runs them. A model
// registers its stack under an empty name, so the model's parameters keep the stack's names.
// stack_fields() lists the shared options (models/options.h) for every model's fields().
#pragma once

#include <array>
#include <cstddef>
#include <deque>
#include <string>
#include <vector>

#include "core/ops/nn.h"
#include "core/rng.h"
#include "core/tape.h"
#include "graph/block.h"
#include "layers/activation.h"
#include "layers/batch_norm.h"
#include "layers/layer_norm.h"
#include "layers/module.h"
#include "models/options.h"

namespace moegnn::models {

// The fields every baseline model has; each model's options struct converts to this.
struct StackOptions {
  Index in_channels = 0;
  Index hidden_width = 0;  // columns after each hidden conv (GAT: heads · per-head channels)
  Index out_channels = 0;
  Index num_layers = 2;         // convolutions, >= 1
  float dropout = 0.5f;         // after each hidden layer, training mode only
  float input_dropout = 0.0f;   // on the input features, training mode only (Kipf; GAT)
  bool batch_norm = false;      // after each hidden conv
  bool layer_norm = false;      // after each hidden conv (exclusive with batch_norm)
  layers::Activation act = layers::Activation::Relu;
};

// The options every baseline model shares, as text keys: hidden, layers, dropout, input-dropout,
// norm (none | batch | layer). `o` is a model's options struct with those fields.
template <typename ModelOptions>
void stack_fields(OptionFields& f, ModelOptions& o, std::string_view hidden_help = "hidden channels") {
  f.field("hidden", o.hidden_channels, hidden_help, {1, 1 << 20});
  f.field("layers", o.num_layers, "layers (convolutions)", {1, 1024});
  f.field("dropout", o.dropout, "dropout after each hidden layer", {0.0, 0.999});
  f.field("input-dropout", o.input_dropout, "dropout on the input features", {0.0, 0.999});
  static constexpr std::array<std::string_view, 3> kNorms{"none", "batch", "layer"};
  std::string norm = o.batch_norm ? "batch" : o.layer_norm ? "layer" : "none";
  f.field("norm", norm, "norm after each hidden layer", kNorms);
  o.batch_norm = norm == "batch";
  o.layer_norm = norm == "layer";
}

// Throws InvalidArgument, naming `model`, for num_layers < 1, non-positive channels, dropouts
// outside [0, 1), or both norms set.
void check_stack_options(const char* model, const StackOptions& options);

// The shared fields of a model's options struct (in_channels, hidden_channels, out_channels,
// num_layers, dropout, input_dropout, batch_norm, layer_norm); hidden layers output
// heads · hidden_channels columns.
template <typename ModelOptions>
StackOptions stack_options(const ModelOptions& o, layers::Activation act, Index heads = 1) {
  return {.in_channels = o.in_channels,
          .hidden_width = heads * o.hidden_channels,
          .out_channels = o.out_channels,
          .num_layers = o.num_layers,
          .dropout = o.dropout,
          .input_dropout = o.input_dropout,
          .batch_norm = o.batch_norm,
          .layer_norm = o.layer_norm,
          .act = act};
}

// The shape checks on the first lines of every model's forward: x has in_channels columns and,
// when num_rows >= 0, num_rows rows. Throws InvalidArgument naming `function`.
void check_forward_input(const char* function, const Var& x, Index in_channels, Index num_rows);

// The checks of every model's forward_blocks: one block per layer, none empty, and x as
// check_forward_input with the first block's source count. Throws InvalidArgument naming `function`.
void check_blocks_input(const char* function, const std::vector<graph::Block>& blocks,
                        Index num_layers, const Var& x, Index in_channels);

template <typename Conv>
class LayerStack final : public layers::Module {
 public:
  // make_options(l, in, out, last) returns the options of conv l (in/out: its input and output
  // widths by the stack's layout; a model may override them, e.g. GAT's per-head width).
  // Throws InvalidArgument as check_stack_options, and what the conv constructor throws.
  template <typename MakeOptions>
  LayerStack(const char* model, const StackOptions& options, Rng& rng, MakeOptions make_options)
      : options_(options) {
    check_stack_options(model, options);
    for (Index l = 0; l < options.num_layers; ++l) {
      const bool last = l + 1 == options.num_layers;
      const Index in = l == 0 ? options.in_channels : options.hidden_width;
      const Index out = last ? options.out_channels : options.hidden_width;
      const std::string index = std::to_string(l);
      convs_.emplace_back(make_options(l, in, out, last), rng);
      register_module("conv" + index, convs_.back());
      if (last) continue;
      if (options.batch_norm) {
        batch_norms_.emplace_back(layers::BatchNormOptions{.num_features = out});
        register_module("bn" + index, batch_norms_.back());
      } else if (options.layer_norm) {
        layer_norms_.emplace_back(layers::LayerNormOptions{.num_features = out});
        register_module("ln" + index, layer_norms_.back());
      }
    }
  }

  // x -> logits; call(conv, l, h) runs conv l on h (the model passes the graph or block l).
  template <typename Call>
  Var forward(Tape& tape, Var x, Rng& rng, bool training, Call call) {
    Var h = ops::dropout(tape, x, options_.input_dropout, rng, training);
    const std::size_t hidden = convs_.size() - 1;
    for (std::size_t l = 0; l < hidden; ++l) {
      const Var input = h;
      h = call(convs_[l], l, h);
      // The layer's input is dead here unless a backward rule reads it (GCN aggregating first
      // reads it only in the forward's SpMM): free it then. x itself belongs to the caller.
      if (input.id() != x.id()) tape.release_value_if_unread(input, "LayerStack::forward");
      if (l < batch_norms_.size()) h = batch_norms_[l].forward(tape, h);
      if (l < layer_norms_.size()) h = layer_norms_[l].forward(tape, h);
      const Var pre_activation = h;
      h = layers::activate(tape, h, options_.act);
      // Freed when neither the norm's rule nor the activation's reads it (BatchNorm then ReLU).
      if (h.id() != pre_activation.id())
        tape.release_value_if_unread(pre_activation, "LayerStack::forward");
      h = ops::dropout(tape, h, options_.dropout, rng, training);
    }
    return call(convs_.back(), hidden, h);
  }

  const StackOptions& options() const { return options_; }
  std::deque<Conv>& convs() { return convs_; }
  const std::deque<Conv>& convs() const { return convs_; }
  std::deque<layers::BatchNorm>& batch_norms() { return batch_norms_; }
  std::deque<layers::LayerNorm>& layer_norms() { return layer_norms_; }

 private:
  StackOptions options_;
  std::deque<Conv> convs_;
  std::deque<layers::BatchNorm> batch_norms_;  // one per hidden layer when options_.batch_norm
  std::deque<layers::LayerNorm> layer_norms_;  // one per hidden layer when options_.layer_norm
};

}  // namespace moegnn::models
