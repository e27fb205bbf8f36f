// SPDX-License-Identifier: Apache-2.0
// moegnn-graph-classification's experiment: load the dataset, train one model per fold (or per run
// on a dataset's own split) through the Trainer, print and write the results.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "datasets/graph_dataset.h"
#include "models/training/history.h"
#include "models/training/repeat.h"
#include "apps/graph_classification/options.h"

namespace moegnn::apps {

struct FoldRecord {
  Index fold = 0;  // 1-based fold (or run)
  training::FitResult fit;
};

struct GraphExperiment {
  std::string dataset;
  Index graphs = 0, nodes = 0, features = 0, classes = 0;
  std::string split;  // "10-fold stratified (seed 1)" or the dataset's own
  std::string model;  // "gin: hidden 64, ..."
  Index num_parameters = 0;
  std::vector<FoldRecord> folds;
  training::MeanStd val, test;
  double wall_seconds = 0.0;
};

// The dataset that --dataset names. Throws IoError / InvalidArgument naming what is missing.
datasets::GraphDataset load_graph_dataset(const GraphAppOptions& options);
// Trains and evaluates every fold; progress and per-fold lines go to `log` unless quiet. Throws
// what loading, building or training throws.
GraphExperiment run_graph_experiment(const GraphAppOptions& options, std::ostream& log);
void print_graph_results(std::ostream& out, const GraphExperiment& e);
// Writes the options and results as JSON, atomically (temporary file, then rename). Throws IoError.
void write_graph_results(const std::filesystem::path& path, const GraphAppOptions& options,
                         const GraphExperiment& e);

}  // namespace moegnn::apps
