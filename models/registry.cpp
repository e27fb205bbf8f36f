// SPDX-License-Identifier: Apache-2.0
// Model registry: a table of entries filled with the built-in models on first use.
#include "models/registry.h"

#include <algorithm>

#include "core/error.h"
#include "models/node/gat.h"
#include "models/node/gcn.h"
#include "models/node/gin.h"
#include "models/node/mlp.h"
#include "models/node/sage.h"
#include "models/nsd/sheaf_diffusion.h"

namespace moegnn::models {
namespace {

std::vector<NodeModelEntry>& table() {
  static std::vector<NodeModelEntry> entries{
      node_model_entry<Mlp>("mlp", "multilayer perceptron on the features alone"),
      node_model_entry<Gcn>("gcn", "graph convolutional network (Kipf & Welling, 2017)"),
      node_model_entry<Sage>("sage", "GraphSAGE (Hamilton et al., 2017)"),
      node_model_entry<Gat>("gat", "graph attention network (Velickovic et al., 2018)"),
      node_model_entry<Gin>("gin", "graph isomorphism network (Xu et al., 2019)"),
      node_model_entry<DiagNsd>("nsd-diag", "Neural Sheaf Diffusion, diagonal maps (Bodnar et al., 2022)"),
      node_model_entry<OrthNsd>("nsd-orth", "Neural Sheaf Diffusion, O(d) maps (Bodnar et al., 2022)"),
      node_model_entry<GenNsd>("nsd-gen", "Neural Sheaf Diffusion, general maps (Bodnar et al., 2022)"),
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

const NodeModelEntry& node_model_entry_named(const std::string& name) {
  for (const NodeModelEntry& e : table())
    if (e.name == name) return e;
  std::string known;
  for (const NodeModelEntry& e : table()) known += (known.empty() ? "" : ", ") + e.name;
  const std::string guess = closest_match(name, node_model_names());
  MOEGNN_FAIL(InvalidArgument, "make_node_model", "unknown model '", name, "' vs one of ", known,
              guess.empty() ? "" : "; did you mean '" + guess + "'?");
}

void register_node_model(NodeModelEntry entry) {
  MOEGNN_CHECK_AS(InvalidArgument, "register_node_model",
                  !entry.name.empty() && entry.build && entry.options, "entry '", entry.name,
                  "' has ", entry.build ? "a" : "no", " builder and ", entry.options ? "an" : "no",
                  " options list vs a non-empty name, a builder and an options list");
  const auto& entries = table();
  const bool taken = std::any_of(entries.begin(), entries.end(),
                                 [&](const NodeModelEntry& e) { return e.name == entry.name; });
  MOEGNN_CHECK_AS(InvalidArgument, "register_node_model", !taken, "name '", entry.name,
                  "' is registered vs a new name");
  table().push_back(std::move(entry));
}

std::unique_ptr<NodeModel> make_node_model(const std::string& name, const ModelConfig& config,
                                           NodeModelShape shape, Rng& rng) {
  return node_model_entry_named(name).build(config, shape, rng);
}

ModelConfig known_options(const std::string& name, const ModelConfig& config) {
  ModelConfig out;
  for (const OptionInfo& option : node_model_entry_named(name).options()) {
    const auto it = config.find(option.key);
    if (it != config.end()) out.insert(*it);
  }
  return out;
}

}  // namespace moegnn::models
