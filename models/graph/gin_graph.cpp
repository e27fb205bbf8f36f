// SPDX-License-Identifier: Apache-2.0
// GIN graph classifier: GINConv stack, global readout, head MLP.
#include "models/graph/gin_graph.h"

#include <array>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/shape.h"

namespace moegnn::models {
namespace {

constexpr std::array<std::string_view, 3> kPools{"sum", "mean", "max"};
constexpr std::array<std::string_view, 2> kReadouts{"last", "all"};

const GinGraphOptions& checked(const GinGraphOptions& o) {
  MOEGNN_CHECK_AS(InvalidArgument, "GinGraph",
                  o.in_channels > 0 && o.hidden_channels > 0 && o.out_channels > 0, "channels ",
                  o.in_channels, " -> ", o.hidden_channels, " -> ", o.out_channels,
                  " vs positive widths");
  MOEGNN_CHECK_AS(InvalidArgument, "GinGraph", o.num_layers >= 1, "num_layers is ", o.num_layers,
                  " vs >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, "GinGraph", o.readout == "last" || o.readout == "all",
                  "readout '", o.readout, "' vs last or all");
  return o;
}

layers::MLPOptions head_options(const GinGraphOptions& o) {
  layers::MLPOptions m;
  const Index width = o.readout == "all" ? o.hidden_channels * o.num_layers : o.hidden_channels;
  m.channel_list = {width, o.hidden_channels, o.out_channels};
  m.dropout = o.dropout;
  return m;
}

}  // namespace

void GinGraphOptions::fields(OptionFields& f) {
  f.field("hidden", hidden_channels, "hidden channels", {1, 1 << 20});
  f.field("layers", num_layers, "GINConv layers", {1, 64});
  f.field("dropout", dropout, "dropout in the head MLP", {0, 0.999});
  f.field("batch-norm", batch_norm, "batch norm inside each GINConv MLP");
  f.field("train-eps", train_eps, "learn each layer's epsilon");
  f.field("pool", pool, "global readout: sum, mean or max", kPools);
  f.field("readout", readout, "pool the last layer, or all layers concatenated", kReadouts);
}

GinGraph::GinGraph(const GinGraphOptions& options, Rng& rng)
    : options_(checked(options)),
      pool_(layers::parse_pool(options.pool)),
      head_(head_options(options_), rng) {
  Index in = options_.in_channels;
  for (Index l = 0; l < options_.num_layers; ++l) {
    layers::GINConvOptions c;
    c.nn.channel_list = {in, options_.hidden_channels, options_.hidden_channels};
    c.nn.norm =
        options_.batch_norm ? layers::MLPOptions::Norm::BatchNorm : layers::MLPOptions::Norm::None;
    c.train_eps = options_.train_eps;
    convs_.emplace_back(c, rng);
    in = options_.hidden_channels;
  }
  for (std::size_t l = 0; l < convs_.size(); ++l)
    register_module("conv" + std::to_string(l), convs_[l]);
  register_module("head", head_);
}

Var GinGraph::forward(Tape& tape, const graph::GraphBatch& batch, Rng& rng) {
  MOEGNN_CHECK_AS(InvalidArgument, "GinGraph::forward", batch.x.cols() == options_.in_channels,
                  "x has ", batch.x.cols(), " columns vs in_channels = ", options_.in_channels);
  Var h = tape.constant(batch.x);
  std::vector<Var> pooled;
  for (layers::GINConv& conv : convs_) {
    h = ops::relu(tape, conv.forward(tape, batch.graph, h, rng));
    if (options_.readout == "all") pooled.push_back(layers::global_pool(tape, pool_, batch.ptr, h));
  }
  const Var z = options_.readout == "all" ? ops::concat_cols(tape, pooled)
                                          : layers::global_pool(tape, pool_, batch.ptr, h);
  return head_.forward(tape, z, rng);
}

std::string GinGraph::describe() const {
  std::string s = "hidden ";
  s += std::to_string(options_.hidden_channels);
  s += ", layers ";
  s += std::to_string(options_.num_layers);
  s += ", pool ";
  s += options_.pool;
  s += ", readout ";
  s += options_.readout;
  s += options_.batch_norm ? ", batch norm" : "";
  return s;
}

}  // namespace moegnn::models
