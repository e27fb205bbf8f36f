// SPDX-License-Identifier: Apache-2.0
// MLP: a stack of Linear layers applied to every row independently, laid out as PyG's MLP: each
// hidden layer is Linear -> norm (optional) -> activation -> dropout, and the last layer is a plain
// Linear (plain_last; with plain_last = false it gets norm, activation and dropout too). The
// channel widths come either as an explicit list [in, hidden..., out] or as in/hidden/out +
// num_layers. Unlike PyG (whose default norm is batch_norm) the default here is no norm.
#pragma once

#include <deque>
#include <vector>

#include "core/rng.h"
#include "layers/activation.h"
#include "layers/batch_norm.h"
#include "layers/layer_norm.h"
#include "layers/linear.h"
#include "layers/module.h"

namespace moegnn::layers {

struct MLPOptions {
  enum class Norm { None, BatchNorm, LayerNorm };
  // [in, hidden..., out], >= 2 entries; when empty, built from the four fields below:
  // num_layers == 1 gives [in, out], else [in, hidden × (num_layers - 1), out].
  std::vector<Index> channel_list{};
  Index in_channels = 0;
  Index hidden_channels = 0;
  Index out_channels = 0;
  Index num_layers = 0;  // Linear layers
  Norm norm = Norm::None;
  float dropout = 0.0f;  // after each activated layer, training mode only
  Activation act = Activation::Relu;
  float negative_slope = 0.01f;  // LeakyRelu only
  bool plain_last = true;
  bool bias = true;
};

class MLP final : public Module {
 public:
  // Glorot-uniform weights, zero biases (layers/linear.h). Throws InvalidArgument on fewer than two
  // channel entries, a non-positive width, num_layers < 1 (when no list is given) or dropout
  // outside [0, 1).
  MLP(const MLPOptions& options, Rng& rng);

  // x: m × channels().front() -> m × channels().back(). `rng` draws the dropout masks (training
  // mode only). Throws InvalidArgument on a column mismatch.
  Var forward(Tape& tape, Var x, Rng& rng);
  // The same without dropout masks: allowed when dropout == 0 or in evaluation mode; throws
  // InvalidArgument otherwise (pass an Rng).
  Var forward(Tape& tape, Var x);

  // Registered parameters: lin0.weight, lin0.bias, norm0.weight, norm0.bias, lin1.weight, ...

  const MLPOptions& options() const { return options_; }
  const std::vector<Index>& channels() const { return channels_; }
  Index in_channels() const { return channels_.front(); }
  Index out_channels() const { return channels_.back(); }
  std::deque<Linear>& lins() { return lins_; }
  std::deque<BatchNorm>& batch_norms() { return batch_norms_; }
  std::deque<LayerNorm>& layer_norms() { return layer_norms_; }

 private:
  Var run(Tape& tape, Var x, Rng* rng);
  MLPOptions options_;
  std::vector<Index> channels_;
  std::deque<Linear> lins_;
  // One per activated layer, of the kind options_.norm names (the other vector stays empty).
  std::deque<BatchNorm> batch_norms_;
  std::deque<LayerNorm> layer_norms_;
};

}  // namespace moegnn::layers
