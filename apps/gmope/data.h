// SPDX-License-Identifier: Apache-2.0
// moegnn-gmope's data: any named graph (generated, registry node set, TU set, path) loaded as a
// node graph or a block-diagonal batch of graphs, aligned to d0 (models/gmope/gmope_io.h), and cut
// into pretraining sources or fine-tuning targets (standard split or k-shot per class).
#pragma once

#include <filesystem>
#include <string>

#include "datasets/graph_dataset.h"
#include "datasets/node_dataset.h"
#include "models/gmope/finetune.h"
#include "models/gmope/pretrain.h"
#include "apps/gmope/options.h"

namespace moegnn::apps {

struct LoadedGraph {
  std::string name;
  bool graph_level = false;       // a TU set (many graphs)
  datasets::NodeDataset node;     // node sets: graph made symmetric, self-loops removed
  datasets::GraphDataset graphs;  // TU sets
  graph::Csr raw;                 // the (block-diagonal) graph
  Tensor features;                // raw features, any width
};

// Throws IoError / InvalidArgument naming the dataset when it cannot be loaded.
LoadedGraph load_gmope_graph(const std::string& name, const std::filesystem::path& data_dir);

models::PretrainSource pretrain_source(const LoadedGraph& g, const models::GmopeOptions& model,
                                       bool standardize);

// Targets for run `run` (seed base + run). Throw InvalidArgument when the task does not fit the
// data (graph task on a node set, k-shot on link prediction).
models::NodeTarget node_target(const LoadedGraph& g, const models::GmopeOptions& model,
                               const GmopeAppOptions& o, Index run);
models::LinkTarget link_target(const LoadedGraph& g, const models::GmopeOptions& model,
                               const GmopeAppOptions& o, Index run);
models::GraphTarget graph_target(const LoadedGraph& g, const models::GmopeOptions& model,
                                 const GmopeAppOptions& o, Index run);

}  // namespace moegnn::apps
