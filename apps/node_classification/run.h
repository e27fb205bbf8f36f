// SPDX-License-Identifier: Apache-2.0
// The experiment moegnn-node-classification runs: load (or generate) the dataset, then for each
// run pick its split and seed and hand them to the method (models/methods.h: a model trained by
// the Trainer, or a mixture method's runner), and summarise the runs as mean ± std
// (training::summarize_runs). Also the results table on stdout and the --out JSON file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "apps/node_classification/options.h"
#include "models/training/repeat.h"

namespace moegnn::apps {

struct RunRecord {
  Index run = 0;
  Index split = -1;  // published split index, -1 for the public or a random split
  std::uint64_t seed = 0;
  training::FitResult fit;
};

struct DatasetSummary {
  std::string name;
  Index num_nodes = 0;
  Index num_edges = 0;
  Index num_features = 0;
  Index num_classes = 0;
};

struct Experiment {
  DatasetSummary dataset;
  std::string model;   // the method's one-line summary (name and settings)
  std::string device;  // the one used ("cpu")
  Index num_parameters = 0;
  std::string metric = "accuracy";  // what the runs report: accuracy, macro_f1 or roc_auc
  std::vector<RunRecord> runs;
  training::RepeatResult summary;  // val_metric, test_metric (the reported number), extras
  nlohmann::json extra_json{};  // further top-level keys of --out (the distributed mode's ranks)
};

// Runs `options` (checked by check_flags). Per-run lines go to `log` unless options.quiet. Throws
// InvalidArgument for settings the data or the model rejects (e.g. --split geom-gcn on a dataset
// without those splits, an option the model does not know), Unsupported for --device cuda without
// a GPU build, IoError from the loaders and checkpoints.
Experiment run_experiment(const AppOptions& options, std::ostream& log);

// The results table: one line per run and the mean ± std of validation and test accuracy.
void print_results(std::ostream& out, const AppOptions& options, const Experiment& experiment);

// `path` as JSON (options, dataset, runs, summary), written to a temporary file in the same folder
// and renamed over `path`. Throws IoError when it cannot be written.
void write_results(const std::filesystem::path& path, const AppOptions& options,
                   const Experiment& experiment);

// `json` written to `path` through a temporary file in the same folder and a rename, so readers
// see the old file or the whole new one. Throws IoError when it cannot be written.
void write_json(const std::filesystem::path& path, const nlohmann::json& json);

}  // namespace moegnn::apps
