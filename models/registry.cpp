// SPDX-License-Identifier: Apache-2.0
// Model registry: a table of builders filled with the built-in models on first use.
#include "models/registry.h"

#include <algorithm>

#include "core/error.h"
#include "models/gat.h"
#include "models/gcn.h"
#include "models/gin.h"
#include "models/mlp.h"
#include "models/sage.h"

namespace moegnn::models {
namespace {

// The fields every model's options struct shares (models/layer_stack.h).
template <typename ModelOptions>
ModelOptions shared_fields(const NodeModelOptions& o) {
  ModelOptions m{};
  m.in_channels = o.in_channels;
  m.hidden_channels = o.hidden_channels;
  m.out_channels = o.out_channels;
  m.num_layers = o.num_layers;
  m.dropout = o.dropout;
  m.input_dropout = o.input_dropout;
  m.batch_norm = o.batch_norm;
  m.layer_norm = o.layer_norm;
  return m;
}

template <typename Model, typename ModelOptions>
NodeModelBuilder builder(void (*extra)(const NodeModelOptions&, ModelOptions&) = nullptr) {
  return [extra](const NodeModelOptions& o, Rng& rng) -> std::unique_ptr<NodeModel> {
    ModelOptions m = shared_fields<ModelOptions>(o);
    if (extra != nullptr) extra(o, m);
    return std::make_unique<Model>(m, rng);
  };
}

std::vector<NodeModelEntry>& table() {
  static std::vector<NodeModelEntry> entries{
      {"mlp", "multilayer perceptron on the features alone", builder<Mlp, MlpOptions>()},
      {"gcn", "graph convolutional network (Kipf & Welling, 2017)", builder<Gcn, GcnOptions>()},
      {"sage", "GraphSAGE (Hamilton et al., 2017); --aggr",
       builder<Sage, SageOptions>([](const NodeModelOptions& o, SageOptions& m) {
         m.aggr = o.aggr;
       })},
      {"gat", "graph attention network (Velickovic et al., 2018); --heads, --attention-dropout",
       builder<Gat, GatOptions>([](const NodeModelOptions& o, GatOptions& m) {
         m.heads = o.heads;
         m.output_heads = o.output_heads;
         m.attention_dropout = o.attention_dropout;
       })},
      {"gin", "graph isomorphism network (Xu et al., 2019); --eps, --train-eps",
       builder<Gin, GinOptions>([](const NodeModelOptions& o, GinOptions& m) {
         m.eps = o.eps;
         m.train_eps = o.train_eps;
       })},
  };
  return entries;
}

}  // namespace

const std::vector<NodeModelEntry>& node_model_entries() { return table(); }

std::vector<std::string> node_model_names() {
  std::vector<std::string> names;
  for (const NodeModelEntry& e : table()) names.push_back(e.name);
  return names;
}

void register_node_model(NodeModelEntry entry) {
  MOEGNN_CHECK_AS(InvalidArgument, "register_node_model", !entry.name.empty() && entry.build,
                  "entry '", entry.name, "' has ", entry.build ? "a" : "no",
                  " builder vs a non-empty name and a builder");
  const auto& entries = table();
  const bool taken = std::any_of(entries.begin(), entries.end(),
                                 [&](const NodeModelEntry& e) { return e.name == entry.name; });
  MOEGNN_CHECK_AS(InvalidArgument, "register_node_model", !taken, "name '", entry.name,
                  "' is registered vs a new name");
  table().push_back(std::move(entry));
}

std::unique_ptr<NodeModel> make_node_model(const std::string& name, const NodeModelOptions& o,
                                           Rng& rng) {
  std::string known;
  for (const NodeModelEntry& e : table()) {
    if (e.name == name) return e.build(o, rng);
    known += (known.empty() ? "" : ", ") + e.name;
  }
  MOEGNN_FAIL(InvalidArgument, "make_node_model", "unknown model '", name, "' vs one of ", known);
}

}  // namespace moegnn::models
