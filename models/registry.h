// SPDX-License-Identifier: Apache-2.0
// Model registry: node-classification models by name ("mlp", "gcn", "sage", "gat", "gin", and
// whatever a program registers), each built from one options struct, so the app and the trainer
// pick models from a flag. Each model's prepare() states the graph it wants (see
// models/node_model.h); the caller runs it once per graph. The built-in entries are listed in
// registry.cpp (no self-registering statics, STYLE.md §3); a new model is one more line there, or
// a register_node_model() call from a program before it parses its flags.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "layers/ops/spmm.h"
#include "models/node_model.h"

namespace moegnn::models {

// The union of the models' options; each model reads the fields that apply to it.
struct NodeModelOptions {
  Index in_channels = 0;
  Index hidden_channels = 64;  // gat: per head (hidden layers output heads · hidden_channels)
  Index out_channels = 0;
  Index num_layers = 2;
  float dropout = 0.5f;  // on features after each hidden layer
  bool batch_norm = false;
  ops::Reduce aggr = ops::Reduce::Mean;  // sage
  Index heads = 8;                       // gat, hidden layers
  Index output_heads = 1;                // gat, last layer (averaged)
  float attention_dropout = 0.0f;        // gat
  bool train_eps = false;                // gin
  bool layer_norm = false;               // exclusive with batch_norm
  float input_dropout = 0.0f;            // on the input features
  float eps = 0.0f;                      // gin: ε (fixed, or the start when train_eps)
};

using NodeModelBuilder =
    std::function<std::unique_ptr<NodeModel>(const NodeModelOptions& options, Rng& rng)>;

struct NodeModelEntry {
  std::string name;
  std::string description;  // one line for --help and listings
  NodeModelBuilder build;
};

// The registered entries in registration order: mlp, gcn, sage, gat, gin, then added ones.
const std::vector<NodeModelEntry>& node_model_entries();
// Their names, in the same order.
std::vector<std::string> node_model_names();

// Adds a model. Throws InvalidArgument for an empty name, a missing builder or a name that is
// already registered.
void register_node_model(NodeModelEntry entry);

// A new model of kind `name` with parameters drawn from `rng`. Throws InvalidArgument for an
// unknown name (listing the known ones) or options the model rejects.
std::unique_ptr<NodeModel> make_node_model(const std::string& name, const NodeModelOptions& options,
                                           Rng& rng);

}  // namespace moegnn::models
