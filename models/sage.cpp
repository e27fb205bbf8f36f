// SPDX-License-Identifier: Apache-2.0
// Sage model: layer stack and forward.
#include "models/sage.h"

#include <string>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/nn.h"

namespace moegnn::models {

Sage::Sage(const SageOptions& options, Rng& rng) : options_(options) {
  MOEGNN_CHECK_AS(InvalidArgument, "Sage", options.num_layers >= 1, "num_layers is ",
                  options.num_layers, " vs >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, "Sage",
                  options.in_channels > 0 && options.out_channels > 0 &&
                      (options.num_layers == 1 || options.hidden_channels > 0),
                  "channels must be positive: in ", options.in_channels, ", hidden ",
                  options.hidden_channels, ", out ", options.out_channels, " vs > 0");
  MOEGNN_CHECK_AS(InvalidArgument, "Sage", options.dropout >= 0.0f && options.dropout < 1.0f,
                  "dropout is ", options.dropout, " vs [0, 1)");
  // Reserve first: the optimizer keeps Parameter pointers, so layers must not move afterwards.
  convs_.reserve(static_cast<std::size_t>(options.num_layers));
  batch_norms_.reserve(static_cast<std::size_t>(options.num_layers));
  for (Index l = 0; l < options.num_layers; ++l) {
    const Index in = l == 0 ? options.in_channels : options.hidden_channels;
    const bool last = l + 1 == options.num_layers;
    const Index out = last ? options.out_channels : options.hidden_channels;
    convs_.emplace_back(
        layers::SAGEConvOptions{.in_channels = in, .out_channels = out, .aggr = options.aggr}, rng);
    convs_.back().prefix_parameter_names("conv" + std::to_string(l) + ".");
    if (!last && options.batch_norm) {
      batch_norms_.emplace_back(layers::BatchNormOptions{.num_features = out});
      batch_norms_.back().prefix_parameter_names("bn" + std::to_string(l) + ".");
    }
  }
}

graph::Csr Sage::prepare(const graph::Csr& raw) const {
  return raw.has_values() ? raw.with_values(Tensor()) : raw;
}

Var Sage::forward(Tape& tape, const graph::Csr& graph, Var x, Rng& rng) {
  MOEGNN_CHECK_AS(InvalidArgument, "Sage::forward", x.cols() == options_.in_channels, "x has ",
                  x.cols(), " columns vs in_channels = ", options_.in_channels);
  MOEGNN_CHECK_AS(InvalidArgument, "Sage::forward", x.rows() == graph.num_nodes(), "x has ",
                  x.rows(), " rows vs ", graph.num_nodes(), " nodes in the graph");
  Var h = x;
  const std::size_t hidden = convs_.size() - 1;
  for (std::size_t l = 0; l < hidden; ++l) {
    h = convs_[l].forward(tape, graph, h);
    if (options_.batch_norm) h = batch_norms_[l].forward(tape, h);
    h = ops::relu(tape, h);
    h = ops::dropout(tape, h, options_.dropout, rng, training());
  }
  return convs_.back().forward(tape, graph, h);
}

std::vector<Parameter*> Sage::parameters() {
  std::vector<Parameter*> out;
  for (std::size_t l = 0; l < convs_.size(); ++l) {
    append(out, convs_[l]);
    if (l < batch_norms_.size()) append(out, batch_norms_[l]);
  }
  return out;
}

void Sage::train(bool on) {
  Module::train(on);
  for (auto& conv : convs_) conv.train(on);
  for (auto& bn : batch_norms_) bn.train(on);
}

}  // namespace moegnn::models
