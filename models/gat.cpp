// SPDX-License-Identifier: Apache-2.0
// Gat model: layer stack and forward.
#include "models/gat.h"

#include <string>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/nn.h"

namespace moegnn::models {
namespace {

void check_options(const GatOptions& o) {
  MOEGNN_CHECK_AS(InvalidArgument, "Gat", o.num_layers >= 1, "num_layers is ", o.num_layers,
                  " vs >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, "Gat",
                  o.in_channels > 0 && o.out_channels > 0 &&
                      (o.num_layers == 1 || o.hidden_channels > 0),
                  "channels must be positive: in ", o.in_channels, ", hidden ", o.hidden_channels,
                  ", out ", o.out_channels, " vs > 0");
  MOEGNN_CHECK_AS(InvalidArgument, "Gat", o.heads > 0 && o.output_heads > 0, "heads ", o.heads,
                  " and output_heads ", o.output_heads, " vs > 0");
  MOEGNN_CHECK_AS(InvalidArgument, "Gat",
                  o.dropout >= 0.0f && o.dropout < 1.0f && o.attention_dropout >= 0.0f &&
                      o.attention_dropout < 1.0f,
                  "dropout ", o.dropout, " and attention_dropout ", o.attention_dropout,
                  " vs [0, 1)");
}

}  // namespace

Gat::Gat(const GatOptions& options, Rng& rng) : options_(options) {
  check_options(options);
  // Reserve first: the optimizer keeps Parameter pointers, so layers must not move afterwards.
  convs_.reserve(static_cast<std::size_t>(options.num_layers));
  batch_norms_.reserve(static_cast<std::size_t>(options.num_layers));
  const Index hidden_width = options.heads * options.hidden_channels;
  for (Index l = 0; l < options.num_layers; ++l) {
    const bool last = l + 1 == options.num_layers;
    layers::GATConvOptions conv{.in_channels = l == 0 ? options.in_channels : hidden_width,
                                .out_channels =
                                    last ? options.out_channels : options.hidden_channels,
                                .heads = last ? options.output_heads : options.heads,
                                .concat = !last,
                                .dropout = options.attention_dropout};
    convs_.emplace_back(conv, rng);
    convs_.back().prefix_parameter_names("conv" + std::to_string(l) + ".");
    if (!last && options.batch_norm) {
      batch_norms_.emplace_back(layers::BatchNormOptions{.num_features = hidden_width});
      batch_norms_.back().prefix_parameter_names("bn" + std::to_string(l) + ".");
    }
  }
}

// Every layer reads the same looped graph, so the first layer's preparation serves all.
graph::Csr Gat::prepare(const graph::Csr& raw) const { return convs_.front().prepare(raw); }

Var Gat::forward(Tape& tape, const graph::Csr& graph, Var x, Rng& rng) {
  MOEGNN_CHECK_AS(InvalidArgument, "Gat::forward", x.cols() == options_.in_channels, "x has ",
                  x.cols(), " columns vs in_channels = ", options_.in_channels);
  MOEGNN_CHECK_AS(InvalidArgument, "Gat::forward", x.rows() == graph.num_nodes(), "x has ",
                  x.rows(), " rows vs ", graph.num_nodes(), " nodes in the graph");
  Var h = x;
  const std::size_t hidden = convs_.size() - 1;
  for (std::size_t l = 0; l < hidden; ++l) {
    h = convs_[l].forward(tape, graph, h, rng);
    if (options_.batch_norm) h = batch_norms_[l].forward(tape, h);
    h = ops::elu(tape, h);
    h = ops::dropout(tape, h, options_.dropout, rng, training());
  }
  return convs_.back().forward(tape, graph, h, rng);
}

std::vector<Parameter*> Gat::parameters() {
  std::vector<Parameter*> out;
  for (std::size_t l = 0; l < convs_.size(); ++l) {
    append(out, convs_[l]);
    if (l < batch_norms_.size()) append(out, batch_norms_[l]);
  }
  return out;
}

void Gat::train(bool on) {
  Module::train(on);
  for (auto& conv : convs_) conv.train(on);
  for (auto& bn : batch_norms_) bn.train(on);
}

}  // namespace moegnn::models
