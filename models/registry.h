// SPDX-License-Identifier: Apache-2.0
// Model registry: builds a node-classification model by name ("mlp", "gcn", "sage", "gat", "gin")
// from one options struct, so the app and the trainer pick models from a flag. Each model's
// prepare() states the graph it wants (see models/node_model.h); the caller runs it once per graph.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "layers/ops/spmm.h"
#include "models/node_model.h"

namespace moegnn::models {

// The union of the baseline models' options; each model reads the fields that apply to it.
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
};

// The registered names, in a fixed order: mlp, gcn, sage, gat, gin.
const std::vector<std::string>& node_model_names();

// A new model of kind `name` with parameters drawn from `rng`. Throws InvalidArgument for an
// unknown name (listing the known ones) or options the model rejects.
std::unique_ptr<NodeModel> make_node_model(const std::string& name, const NodeModelOptions& options,
                                           Rng& rng);

}  // namespace moegnn::models
