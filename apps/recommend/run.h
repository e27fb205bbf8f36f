// SPDX-License-Identifier: Apache-2.0
// moegnn-recommend's work: load the ratings and build the split's interactions, train runs through
// the Trainer (RankingTask), score a saved model, list a user's top items, export embeddings.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "datasets/interactions.h"
#include "datasets/ratings_dataset.h"
#include "models/rec/ranking.h"
#include "models/rec/rec_model.h"
#include "models/training/history.h"
#include "apps/recommend/options.h"

namespace moegnn::apps {

struct RecData {
  datasets::RatingsDataset ratings;
  datasets::Interactions data;
  graph::Csr graph;  // the bipartite training graph
  float min_rating = 0.0f;
};

// The dataset, thresholded and split with `split_seed`. Throws IoError / InvalidArgument as the
// loaders and splits do.
RecData load_data(const RecommendOptions& o, std::uint64_t split_seed);

struct RecRun {
  Index run = 0;
  std::uint64_t seed = 0;
  training::FitResult fit;
  bool has_val = false;
  rec::RankingMetrics val, test;
  double seconds = 0.0;
};
struct RecExperiment {
  std::vector<RecRun> runs;
  std::string data_summary;
  double weight_decay = 0.0;  // the optimizer's, as the Trainer got it (BPR's --l2 is apart)
};

// o.runs runs of BPR training; `log` gets the per-run lines unless o.quiet. Writes --save,
// --checkpoint and --log files per run.
RecExperiment train_runs(const RecommendOptions& o, std::ostream& log);

// A model saved by train_runs (--save) with the data it was trained on, rebuilt from the file.
struct LoadedModel {
  RecommendOptions options;
  RecData data;
  std::unique_ptr<rec::RecModel> model;
};
// Throws IoError for an unreadable file, InvalidArgument for a file of another kind.
LoadedModel load_model_file(const std::filesystem::path& path, const RecommendOptions& base);

// The model's metrics on its validation (when present) and test sets.
RecRun evaluate_model(LoadedModel& m, const std::vector<Index>& ks);
// Prints the top-k items of user `user_id` (the ratings file's id) with titles when known. Throws
// InvalidArgument for a user not in the training data or k outside [1, items].
void print_recommendations(LoadedModel& m, std::int64_t user_id, Index k, std::ostream& out);
// Writes user/item embeddings (final and layer-0) and the original ids to a safetensors file.
void export_embeddings(LoadedModel& m, const std::filesystem::path& path);

// Outputs (report.cpp).
void print_experiment(std::ostream& out, const RecommendOptions& o, const RecExperiment& e);
void write_experiment(const std::filesystem::path& path, const RecommendOptions& o,
                      const RecExperiment& e);

}  // namespace moegnn::apps
