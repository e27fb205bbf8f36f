// SPDX-License-Identifier: Apache-2.0
// The experiment moegnn-node-classification runs: load (or generate) the dataset, then for each
// run pick its split and seed, build the model from the registry and train it with the Trainer
// (full batch, or neighbour-sampled mini-batches), and summarise the runs as mean ± std. Also the
// results table on stdout and the --out JSON file.
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
  Index split = -1;  // Geom-GCN split index, -1 for the public or a random split
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
  std::string device;  // the one used ("cpu")
  Index num_parameters = 0;
  std::vector<RunRecord> runs;
  training::MeanStd val;   // accuracy of each run's selected epoch
  training::MeanStd test;  // the reported number
};

// Runs `options` (checked by check_flags). Per-run lines go to `log` unless options.quiet. Throws
// InvalidArgument for settings the data rejects (e.g. --split geom-gcn on a dataset without
// those splits), Unsupported for --device cuda without a GPU build, IoError from the loaders and
// checkpoints.
Experiment run_experiment(const AppOptions& options, std::ostream& log);

// The results table: one line per run and the mean ± std of validation and test accuracy.
void print_results(std::ostream& out, const AppOptions& options, const Experiment& experiment);

// `path` as JSON (options, dataset, runs, summary), written to a temporary file in the same folder
// and renamed over `path`. Throws IoError when it cannot be written.
void write_results(const std::filesystem::path& path, const AppOptions& options,
                   const Experiment& experiment);

}  // namespace moegnn::apps
