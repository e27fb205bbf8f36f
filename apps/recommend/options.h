// SPDX-License-Identifier: Apache-2.0
// moegnn-recommend's flags: the command, the data (dataset, split, rating threshold), the model,
// BPR training and the outputs; and their JSON form (saved with each model file so `evaluate`,
// `recommend` and `export` rebuild the same data and model from the file alone).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "core/types.h"

namespace moegnn::apps {

struct RecommendOptions {
  std::string command = "train";  // train | evaluate | recommend | export
  // Data.
  std::string dataset = "generated";  // generated | ml-100k | facebook-books | a ratings file
  std::string data_dir{};
  std::string split = "random";  // random | stratified | temporal | u1..u5 | ua | ub
  double val_fraction = 0.1;
  double test_fraction = 0.1;
  double train_fraction = 0.75;                      // stratified
  double train_val_fraction = 0.0;                   // stratified: val carved from train
  double min_rating = -1.0;                          // < 0: 3 when ratings go above 1, else none
  Index users = 1000, items = 500, ratings = 40000;  // generated
  // Model and training.
  std::string model = "lightgcn";
  Index dim = 64;
  Index layers = 3;
  std::string readout = "concat";  // sheaf4rec: concat | mean
  double init_std = 0.1;
  Index epochs = 50;
  double lr = 1e-3;
  double l2 = 1e-4;
  Index batch_size = 1024;
  Index max_steps = 0;  // > 0: steps per epoch cap (timing)
  Index patience = 0;
  Index eval_every = 1;
  std::vector<Index> ks{10, 20};
  Index metric_k = 10;
  Index runs = 1;
  std::int64_t seed = 1;
  std::int64_t split_seed = -1;  // < 0: the run's seed
  int threads = 0;
  // Outputs.
  std::string out{}, checkpoint{}, save{}, log{};
  bool resume = false;
  bool override_hyperparameters = false;
  bool quiet = false;
  // evaluate / recommend / export.
  std::string model_file{};
  std::int64_t user = -1;
  Index k = 10;
  std::string export_path{};
};

// Registers every flag on `app` (and --config FILE.json).
void add_flags(CLI::App& app, RecommendOptions& o);
// Cross-flag checks CLI11 cannot express. Throws InvalidArgument naming the flags.
void check_flags(const RecommendOptions& o);

// The data and model options (what rebuilds a trained model), as JSON and back.
nlohmann::json data_model_json(const RecommendOptions& o);
// Overwrites o's data and model options with `json`'s. Throws InvalidArgument for a missing key.
void read_data_model_json(const nlohmann::json& json, RecommendOptions& o);

}  // namespace moegnn::apps
