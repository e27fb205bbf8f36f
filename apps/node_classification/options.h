// SPDX-License-Identifier: Apache-2.0
// The flags of moegnn-node-classification: one struct with every setting and its default, the
// CLI11 definitions (each flag says what it accepts; a wrong name or value fails with that list),
// and JSON config files (--config FILE.json: an object whose keys are flag names without the
// dashes; the command line overrides the file).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace moegnn::apps {

struct AppOptions {
  // Data
  std::string dataset = "csbm";  // a registry name, or "csbm" (the embedded generated graph)
  std::filesystem::path data_dir{};  // empty: $MOEGNN_DATA_DIR or the default data directory
  std::string split = "public";      // public | geom-gcn | random
  bool normalize_features = false;   // row-normalise (Kipf's preprocessing)
  bool download = false;             // fetch missing dataset files
  int nodes = 3000;                  // csbm: nodes (5 classes, 32 features, mean degree 8)
  double homophily = 0.8;            // csbm: fraction of intra-class edges
  double feature_signal = 1.0;       // csbm: class-mean norm vs unit noise
  // Model
  std::string model = "gcn";
  int hidden = 64;
  int layers = 2;
  float dropout = 0.5f;
  float input_dropout = 0.0f;
  std::string norm = "none";  // none | batch | layer
  int heads = 8;              // gat
  int output_heads = 1;       // gat
  float attention_dropout = 0.0f;  // gat
  std::string aggr = "mean";       // sage: mean | max | sum
  float eps = 0.0f;                // gin
  bool train_eps = false;          // gin
  // Mowst / Mowst* (--model mowst | mowst-star): the experts and the gate
  std::string strong = "gcn";         // strong expert: a baseline model name
  std::string weak = "mlp";           // weak expert: a baseline model name
  std::string gate = "dispersion";    // gate input: dispersion | features | hypernetwork
  float lr_gate = 0.01f;              // the gate's learning rate
  float gate_dropout = 0.5f;          // the gate MLP's dropout (reference: dropout_gate)
  std::string pretrain = "both";      // none | weak | strong | both
  // Training
  float lr = 0.01f;
  float weight_decay = 5e-4f;
  int epochs = 200;
  int patience = 0;  // 0: no early stopping
  std::string monitor = "acc";  // acc | loss | loss+acc: selection and early stopping on validation
  int runs = 1;
  int batch_size = 0;  // 0: full batch; > 0: neighbour-sampled mini-batches
  std::vector<int> fanouts{10, 10};
  int threads = 0;
  unsigned long long seed = 1;
  std::string device = "auto";  // cpu | cuda | auto
  // Outputs
  std::filesystem::path save{};  // checkpoint file (run r > 0 gets ".run<r>" before the suffix)
  bool resume = false;           // continue from the --save checkpoints when they exist
  std::filesystem::path out{};   // results JSON
  std::filesystem::path log{};   // JSON-lines training log (run suffix as --save)
  bool quiet = false;            // no per-run lines, no progress bar
};

// Defines every flag on `app` (bound to `options`) and --config. Call before app.parse().
void add_flags(CLI::App& app, AppOptions& options);

// Cross-flag checks CLI11 cannot express (e.g. --resume without --save). Throws InvalidArgument.
void check_flags(const AppOptions& options);

// The options as a JSON object (keys = flag names, so it is a valid --config file), for --out.
nlohmann::json options_json(const AppOptions& options);

}  // namespace moegnn::apps
