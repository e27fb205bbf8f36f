// SPDX-License-Identifier: Apache-2.0
// The flags of moegnn-node-classification: one struct with every setting and its default, the
// CLI11 definitions (each flag says what it accepts; a wrong name or value fails with that list),
// and JSON config files (--config FILE.json: an object whose keys are flag names without the
// dashes; the command line overrides the file). The model's options are not listed here: every
// key a registered model or method declares (models/options.h) becomes a flag (--hidden 64), and
// --model-config key=value,... sets any of them too; the model checks them when it is built.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "models/options.h"
#include "models/training/options.h"

namespace moegnn::apps {

// Which split run r trains on: the dataset's own, its published split r (Geom-GCN's 10, LINKX's
// 5), or a 60/20/20 split drawn from the run's seed.
enum class SplitKind { Public, Published, Random };

// The flag spellings of the enums (--split, --monitor), the one place text becomes an enum.
const std::map<std::string, SplitKind>& split_names();
const std::map<std::string, training::Monitor>& monitor_names();
// The spelling of a value (the first name in the table that maps to it).
std::string split_name(SplitKind split);
std::string monitor_name(training::Monitor monitor);

struct AppOptions {
  // Data
  std::string dataset = "csbm";  // a registry name, or "csbm" (the embedded generated graph)
  std::filesystem::path data_dir{};  // empty: $MOEGNN_DATA_DIR or the default data directory
  SplitKind split = SplitKind::Public;  // --split public | geom-gcn (fixed) | random
  bool normalize_features = false;   // row-normalise (Kipf's preprocessing)
  bool download = false;             // fetch missing dataset files
  bool allow_unverified = false;     // downloads without a recorded SHA-256
  int nodes = 3000;                  // csbm: nodes (5 classes, 32 features, mean degree 8)
  double homophily = 0.8;            // csbm: fraction of intra-class edges
  double feature_signal = 1.0;       // csbm: class-mean norm vs unit noise
  // Model: a method name (models/methods.h) and its options as text.
  std::string model = "gcn";
  std::string model_config{};                  // --model-config key=value,...
  std::string preset{};  // --preset paper | NAME: a shipped config under the flags (preset.h)
  std::map<std::string, std::string> model_flags{};  // --<key> value, one per declared key
  std::map<std::string, const CLI::Option*> model_flag_options{};  // which of them were given
  // Training
  // The library's defaults (training::TrainOptions), so the app and the API agree.
  float lr = training::TrainOptions{}.lr;
  float weight_decay = training::TrainOptions{}.weight_decay;
  int epochs = static_cast<int>(training::TrainOptions{}.epochs);
  int patience = static_cast<int>(training::TrainOptions{}.early_stopping.patience);  // 0: never
  // --monitor acc | loss | loss+acc: model selection and early stopping on validation.
  training::Monitor monitor = training::Monitor::ValMetric;
  // --metric auto | acc | f1 | auc; auto: the dataset's (ROC-AUC for the binary heterophilous
  // sets, NodeDataset::metric), else accuracy.
  std::string metric = "auto";
  int runs = 1;
  int batch_size = 0;  // 0: full batch; > 0: neighbour-sampled mini-batches
  std::vector<int> fanouts{10, 10};
  int threads = 0;
  unsigned long long seed = 1;
  std::string device = "auto";  // cpu | cuda | auto
  // Outputs
  std::filesystem::path save{};  // checkpoint file (run r > 0 gets ".run<r>" before the suffix)
  bool resume = false;           // continue from the --save checkpoints when they exist
  bool override_hyperparameters = false;  // --override: resume with changed training settings
  std::filesystem::path out{};   // results JSON
  std::filesystem::path log{};   // JSON-lines training log (run suffix as --save)
  bool quiet = false;            // no per-run lines, no progress bar
  // Model selection (search.h): --search grid | random over --search-space FILE.json.
  std::string search{};
  std::filesystem::path search_space{};
  int search_trials = 20;  // random: points drawn (from --seed)
  // --distributed PARTS_DIR: data-parallel training over MPI on a part set (distributed.h).
  std::filesystem::path distributed{};
};

// Defines every flag on `app` (bound to `options`) and --config. Call before app.parse(), after
// any register_node_model / register_node_method call whose keys should become flags.
void add_flags(CLI::App& app, AppOptions& options);

// "moegnn-node-classification <version> (commit <hash>)", for --version and the results file.
std::string version_line();

// Cross-flag checks CLI11 cannot express (e.g. --resume without --save), and that --out, --save
// and --log can be written before any training starts. Throws InvalidArgument naming the flag.
void check_flags(const AppOptions& options);

// The model's options: the model flags given, then --model-config over them. Throws
// InvalidArgument for a malformed --model-config.
models::ModelConfig model_config(const AppOptions& options);

// The options as a JSON object (keys = flag names, so it is a valid --config file), for --out.
nlohmann::json options_json(const AppOptions& options);

}  // namespace moegnn::apps
