// SPDX-License-Identifier: Apache-2.0
// MLP: channel resolution, layer stack and forward.
#include "layers/mlp.h"

#include <string>

#include "core/error.h"
#include "core/ops/nn.h"

namespace moegnn::layers {
namespace {

std::vector<Index> resolve_channels(const MLPOptions& o) {
  if (!o.channel_list.empty()) return o.channel_list;
  MOEGNN_CHECK_AS(InvalidArgument, "MLP", o.num_layers >= 1, "num_layers is ", o.num_layers,
                  " vs >= 1 (or give channel_list)");
  std::vector<Index> channels{o.in_channels};
  for (Index l = 1; l < o.num_layers; ++l) channels.push_back(o.hidden_channels);
  channels.push_back(o.out_channels);
  return channels;
}

}  // namespace

MLP::MLP(const MLPOptions& options, Rng& rng) : options_(options) {
  channels_ = resolve_channels(options);
  MOEGNN_CHECK_AS(InvalidArgument, "MLP", channels_.size() >= 2, "channel list has ",
                  channels_.size(), " entries vs >= 2 ([in, ..., out])");
  for (std::size_t i = 0; i < channels_.size(); ++i)
    MOEGNN_CHECK_AS(InvalidArgument, "MLP", channels_[i] > 0, "channel ", i, " is ", channels_[i],
                    " vs > 0");
  MOEGNN_CHECK_AS(InvalidArgument, "MLP", options.dropout >= 0.0f && options.dropout < 1.0f,
                  "dropout is ", options.dropout, " vs [0, 1)");
  const std::size_t num_layers = channels_.size() - 1;
  for (std::size_t l = 0; l < num_layers; ++l) {
    const Index out = channels_[l + 1];
    lins_.emplace_back(LinearOptions{channels_[l], out, options.bias}, rng);
    register_module("lin" + std::to_string(l), lins_.back());
    const bool activated = l + 1 < num_layers || !options.plain_last;
    if (!activated) continue;
    const std::string name = "norm" + std::to_string(l);
    if (options.norm == MLPOptions::Norm::BatchNorm) {
      batch_norms_.emplace_back(BatchNormOptions{.num_features = out});
      register_module(name, batch_norms_.back());
    } else if (options.norm == MLPOptions::Norm::LayerNorm) {
      layer_norms_.emplace_back(LayerNormOptions{.num_features = out});
      register_module(name, layer_norms_.back());
    }
  }
}

Var MLP::forward(Tape& tape, Var x, Rng& rng) { return run(tape, x, &rng); }

Var MLP::forward(Tape& tape, Var x) {
  MOEGNN_CHECK_AS(InvalidArgument, "MLP::forward", options_.dropout == 0.0f || !training(),
                  "dropout is ", options_.dropout, " in training mode vs no Rng for the masks; ",
                  "call forward(tape, x, rng)");
  return run(tape, x, nullptr);
}

Var MLP::run(Tape& tape, Var x, Rng* rng) {
  MOEGNN_CHECK_AS(InvalidArgument, "MLP::forward", x.cols() == in_channels(), "x has ", x.cols(),
                  " columns vs in_channels = ", in_channels());
  Var h = x;
  for (std::size_t l = 0; l < lins_.size(); ++l) {
    h = lins_[l].forward(tape, h);
    const bool activated = l + 1 < lins_.size() || !options_.plain_last;
    if (!activated) break;
    if (l < batch_norms_.size()) h = batch_norms_[l].forward(tape, h);
    if (l < layer_norms_.size()) h = layer_norms_[l].forward(tape, h);
    h = activate(tape, h, options_.act, options_.negative_slope);
    if (rng != nullptr) h = ops::dropout(tape, h, options_.dropout, *rng, training());
  }
  return h;
}

}  // namespace moegnn::layers
