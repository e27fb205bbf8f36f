// SPDX-License-Identifier: Apache-2.0
// Model registry: node-classification models by name ("mlp", "gcn", "sage", "gat", "gin", and
// whatever a program registers). A model is one folder and one line here: its options struct
// lists its settings in fields() (models/options.h) and its class names that struct `Options`;
// node_model_entry<Model>(name, description) makes the entry, and the apps derive their flags,
// --model-config keys and help from it. The built-in entries are listed in registry.cpp (no
// self-registering statics, STYLE.md §3); a program or a test adds its own with
// register_node_model() before it parses its flags.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "models/node/node_model.h"
#include "models/options.h"

namespace moegnn::models {

// The widths a node model is built for: the dataset's, not the user's to set.
struct NodeModelShape {
  Index in_channels = 0;
  Index out_channels = 0;
};

using NodeModelBuilder = std::function<std::unique_ptr<NodeModel>(
    const ModelConfig& config, NodeModelShape shape, Rng& rng)>;

struct NodeModelEntry {
  std::string name;
  std::string description;  // one line for --help and listings
  NodeModelBuilder build;   // rejects keys the model does not know
  std::function<std::vector<OptionInfo>()> options;  // keys, defaults and help
};

// The entry of `Model`, whose Options struct has in_channels, out_channels and fields().
template <typename Model>
NodeModelEntry node_model_entry(std::string name, std::string description) {
  using Options = typename Model::Options;
  const std::string owner = name;
  return {std::move(name), std::move(description),
          [owner](const ModelConfig& config, NodeModelShape shape, Rng& rng) {
            Options o = read_options<Options>(config, owner);
            o.in_channels = shape.in_channels;
            o.out_channels = shape.out_channels;
            std::unique_ptr<NodeModel> model = std::make_unique<Model>(o, rng);
            model->set_origin({owner, write_options(o), shape.in_channels, shape.out_channels});
            return model;
          },
          [] { return describe_options<Options>(); }};
}

// The registered entries in registration order: mlp, gcn, sage, gat, gin, then added ones.
const std::vector<NodeModelEntry>& node_model_entries();
// Their names, in the same order.
std::vector<std::string> node_model_names();
// The entry named `name`. Throws InvalidArgument for an unknown name, listing the known ones and
// the closest.
const NodeModelEntry& node_model_entry_named(const std::string& name);

// Adds a model. Throws InvalidArgument for an empty name, a missing builder or options list, or a
// name that is already registered.
void register_node_model(NodeModelEntry entry);

// A new model of kind `name` built from `config` (its defaults for missing keys) for `shape`, with
// parameters drawn from `rng`. Throws InvalidArgument for an unknown name, an unknown key or a
// value the model rejects.
std::unique_ptr<NodeModel> make_node_model(const std::string& name, const ModelConfig& config,
                                           NodeModelShape shape, Rng& rng);

// The keys of `config` that model `name` knows (the rest belongs to someone else, e.g. the other
// expert of a mixture). Throws InvalidArgument for an unknown name.
ModelConfig known_options(const std::string& name, const ModelConfig& config);

}  // namespace moegnn::models
