// SPDX-License-Identifier: Apache-2.0
// Flags of moegnn-graph-classification, as plain data (so tests and the run code share them).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include <CLI/CLI.hpp>

#include "core/types.h"
#include "models/options.h"

namespace moegnn::apps {

struct GraphAppOptions {
  // Data: "random" (generated labelled graphs), a TU name under <data-dir>/tu (mutag, proteins,
  // enzymes), an ogbg-* folder under <data-dir>, or a path to a TU or OGB folder.
  std::string dataset = "random";
  std::filesystem::path data_dir{};
  Index graphs = 200;  // random: graphs generated
  Index folds = 10;    // k of the stratified k-fold (datasets without a split of their own)
  std::vector<Index> only_folds{};  // run just these folds (1-based); empty: all
  Index runs = 1;                   // datasets with their own split: seeds seed .. seed + runs - 1
  // Model.
  std::string model = "gin";
  std::string model_config{};
  std::map<std::string, std::string> model_flags{};
  std::map<std::string, CLI::Option*> model_flag_options{};
  // Training: PyG examples/gin.py's lr and batch size; 30 epochs (the example runs 100).
  float lr = 0.01f;
  float weight_decay = 0.0f;
  Index epochs = 30;
  Index patience = 0;
  Index batch_size = 128;
  Index threads = 0;
  std::int64_t seed = 1;
  // Output.
  std::filesystem::path save{};
  bool resume = false;
  std::filesystem::path out{};
  std::filesystem::path log{};
  bool quiet = false;
};

void add_graph_app_flags(CLI::App& app, GraphAppOptions& options);
// "moegnn-graph-classification <version> (commit <hash>)".
std::string graph_app_version_line();
// The model options given by flags and --model-config (the latter wins). Throws InvalidArgument.
models::ModelConfig graph_model_config(const GraphAppOptions& options);

}  // namespace moegnn::apps
