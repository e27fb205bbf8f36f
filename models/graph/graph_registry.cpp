// SPDX-License-Identifier: Apache-2.0
// Graph-level model registry: a table filled with the built-in models on first use.
#include "models/graph/graph_registry.h"

#include <algorithm>

#include "core/error.h"
#include "models/graph/gin_graph.h"

namespace moegnn::models {
namespace {

std::vector<GraphModelEntry>& table() {
  static std::vector<GraphModelEntry> entries{
      graph_model_entry<GinGraph>("gin",
                                  "graph isomorphism network, global readout (Xu et al., 2019)"),
  };
  return entries;
}

}  // namespace

const std::vector<GraphModelEntry>& graph_model_entries() { return table(); }

std::vector<std::string> graph_model_names() {
  std::vector<std::string> names;
  for (const GraphModelEntry& e : table()) names.push_back(e.name);
  return names;
}

const GraphModelEntry& graph_model_entry_named(const std::string& name) {
  for (const GraphModelEntry& e : table())
    if (e.name == name) return e;
  std::string known;
  for (const GraphModelEntry& e : table()) {
    if (!known.empty()) known += ", ";
    known += e.name;
  }
  const std::string guess = closest_match(name, graph_model_names());
  std::string hint;
  if (!guess.empty()) {
    hint += "; did you mean '";
    hint += guess;
    hint += "'?";
  }
  MOEGNN_FAIL(InvalidArgument, "make_graph_model", "unknown model '", name, "' vs one of ", known,
              hint);
}

void register_graph_model(GraphModelEntry entry) {
  MOEGNN_CHECK_AS(InvalidArgument, "register_graph_model",
                  !entry.name.empty() && entry.build && entry.options, "entry '", entry.name,
                  "' vs a non-empty name, a builder and an options list");
  const auto& entries = table();
  const bool taken = std::any_of(entries.begin(), entries.end(),
                                 [&](const GraphModelEntry& e) { return e.name == entry.name; });
  MOEGNN_CHECK_AS(InvalidArgument, "register_graph_model", !taken, "name '", entry.name,
                  "' is registered vs a new name");
  table().push_back(std::move(entry));
}

std::unique_ptr<GraphModel> make_graph_model(const std::string& name, const ModelConfig& config,
                                             GraphModelShape shape, Rng& rng) {
  return graph_model_entry_named(name).build(config, shape, rng);
}

}  // namespace moegnn::models
