// SPDX-License-Identifier: Apache-2.0
// Graph-level model registry: graph classification / regression models by name ("gin"), the
// counterpart of models/registry.h for GraphModel. An entry is made from the model's options
// struct (fields(), models/options.h), so apps derive flags and help from it; built-ins are listed
// in graph_registry.cpp, and a program adds its own with register_graph_model().
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "models/graph/graph_model.h"
#include "models/options.h"

namespace moegnn::models {

// The widths a graph model is built for (the dataset's): node features in, classes out.
struct GraphModelShape {
  Index in_channels = 0;
  Index out_channels = 0;
};

using GraphModelBuilder = std::function<std::unique_ptr<GraphModel>(
    const ModelConfig& config, GraphModelShape shape, Rng& rng)>;

struct GraphModelEntry {
  std::string name;
  std::string description;
  GraphModelBuilder build;
  std::function<std::vector<OptionInfo>()> options;
};

// The entry of `Model`, whose Options struct has in_channels, out_channels and fields().
template <typename Model>
GraphModelEntry graph_model_entry(std::string name, std::string description) {
  using Options = typename Model::Options;
  const std::string owner = name;
  return {std::move(name), std::move(description),
          [owner](const ModelConfig& config, GraphModelShape shape, Rng& rng) {
            Options o = read_options<Options>(config, owner);
            o.in_channels = shape.in_channels;
            o.out_channels = shape.out_channels;
            std::unique_ptr<GraphModel> model = std::make_unique<Model>(o, rng);
            model->set_origin({owner, write_options(o)});
            return model;
          },
          [] { return describe_options<Options>(); }};
}

const std::vector<GraphModelEntry>& graph_model_entries();
std::vector<std::string> graph_model_names();
// Throws InvalidArgument for an unknown name, listing the known ones and the closest.
const GraphModelEntry& graph_model_entry_named(const std::string& name);
// Throws InvalidArgument for an empty name, a missing builder or options list, or a taken name.
void register_graph_model(GraphModelEntry entry);
// A new model `name` from `config` (defaults for missing keys) for `shape`. Throws InvalidArgument
// for an unknown name or key, or a value the model rejects.
std::unique_ptr<GraphModel> make_graph_model(const std::string& name, const ModelConfig& config,
                                             GraphModelShape shape, Rng& rng);

}  // namespace moegnn::models
