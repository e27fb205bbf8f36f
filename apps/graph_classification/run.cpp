// SPDX-License-Identifier: Apache-2.0
// The graph-classification experiment: dataset, folds, one Trainer per fold, results.
#include "apps/graph_classification/run.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "core/error.h"
#include "datasets/data_dir.h"
#include "datasets/ogb_graph.h"
#include "datasets/tu.h"
#include "models/graph/graph_registry.h"
#include "models/training/graph_task.h"
#include "models/training/trainer.h"

namespace moegnn::apps {
namespace {

namespace fs = std::filesystem;

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

datasets::GraphDataset load_path(const fs::path& dir) {
  if (fs::exists(dir / "raw" / "num-node-list.csv.gz"))
    return datasets::load_ogb_graph_dataset(dir);
  return datasets::load_tu_dataset(dir);
}

std::vector<datasets::GraphFold> splits_of(const GraphAppOptions& o,
                                           const datasets::GraphDataset& d, std::string& name) {
  if (!d.train.empty()) {
    name = "the dataset's own split";
    return std::vector<datasets::GraphFold>(static_cast<std::size_t>(o.runs),
                                            {d.train, d.val, d.test});
  }
  name = std::to_string(o.folds);
  name += "-fold stratified (seed ";
  name += std::to_string(o.seed);
  name += ")";
  return datasets::stratified_k_fold(d.labels, o.folds, static_cast<std::uint64_t>(o.seed));
}

training::TrainOptions train_options(const GraphAppOptions& o, Index fold, Index total) {
  training::TrainOptions t;
  t.epochs = o.epochs;
  t.lr = o.lr;
  t.weight_decay = o.weight_decay;
  t.seed = static_cast<std::uint64_t>(o.seed) + static_cast<std::uint64_t>(fold - 1);
  t.select_on = training::Monitor::ValMetric;
  t.early_stopping = {.patience = o.patience, .monitor = training::Monitor::ValMetric};
  t.log_path = training::run_path(o.log, fold - 1);
  t.progress = !o.quiet;
  t.progress_label = "fold " + std::to_string(fold) + "/" + std::to_string(total);
  t.checkpoint_path = training::run_path(o.save, fold - 1);
  t.resume = o.resume;
  return t;
}

}  // namespace

datasets::GraphDataset load_graph_dataset(const GraphAppOptions& o) {
  if (o.dataset == "random")
    return datasets::random_graph_dataset(
        {.num_graphs = o.graphs, .seed = static_cast<std::uint64_t>(o.seed)});
  if (fs::is_directory(o.dataset)) return load_path(o.dataset);
  const fs::path root = o.data_dir.empty() ? datasets::default_data_dir() : o.data_dir;
  if (o.dataset.rfind("ogbg-", 0) == 0) return load_path(root / o.dataset);
  const fs::path tu = root / "tu" / upper(o.dataset);
  MOEGNN_CHECK_AS(IoError, "--dataset", fs::is_directory(tu), "'", o.dataset, "': no folder ",
                  tu.string(),
                  " vs random, a TU set under <data-dir>/tu (mutag, proteins, "
                  "enzymes), an ogbg-* folder or a path; set --data-dir or $MOEGNN_DATA_DIR");
  return datasets::load_tu_dataset(tu);
}

GraphExperiment run_graph_experiment(const GraphAppOptions& o, std::ostream& log) {
  const auto start = std::chrono::steady_clock::now();
  const datasets::GraphDataset d = load_graph_dataset(o);
  MOEGNN_CHECK_AS(InvalidArgument, "moegnn-graph-classification", !d.labels.empty(), "dataset '",
                  d.name, "' has ", d.targets.cols(),
                  " real-valued or multi-task targets vs one class per graph");
  GraphExperiment e;
  e.dataset = d.name;
  e.graphs = d.num_graphs();
  e.nodes = d.graphs.num_nodes();
  e.features = d.num_features();
  e.classes = d.num_classes;
  const std::vector<datasets::GraphFold> folds = splits_of(o, d, e.split);
  const models::ModelConfig config = graph_model_config(o);
  const auto total = static_cast<Index>(folds.size());
  std::vector<double> val, test;
  for (Index fold = 1; fold <= total; ++fold) {
    if (!o.only_folds.empty() &&
        std::find(o.only_folds.begin(), o.only_folds.end(), fold) == o.only_folds.end())
      continue;
    const datasets::GraphFold& f = folds[static_cast<std::size_t>(fold - 1)];
    Rng init(static_cast<std::uint64_t>(o.seed) * 1000003ULL + static_cast<std::uint64_t>(fold));
    auto model = models::make_graph_model(o.model, config, {e.features, e.classes}, init);
    e.model = o.model + ": " + model->describe();
    e.num_parameters = model->num_parameters();
    auto task = std::make_unique<training::GraphClassificationTask>(
        *model, d.graphs, training::GraphSplit{d.labels, f.train, f.val, f.test},
        training::GraphTaskOptions{.batch_size = o.batch_size});
    training::Trainer trainer(*model, std::move(task), train_options(o, fold, total));
    FoldRecord r{fold, trainer.fit()};
    if (!o.quiet) {
      char line[160];
      std::snprintf(line, sizeof line,
                    "fold %lld: best epoch %lld, val %.4f, test %.4f, %.2f s/epoch\n",
                    static_cast<long long>(fold), static_cast<long long>(r.fit.best_epoch),
                    r.fit.best.val_metric, r.fit.best.test_metric, r.fit.mean_epoch_seconds);
      log << line;
    }
    val.push_back(r.fit.best.val_metric);
    test.push_back(r.fit.best.test_metric);
    e.folds.push_back(std::move(r));
  }
  MOEGNN_CHECK_AS(InvalidArgument, "--fold", !e.folds.empty(), "no fold in 1..", total,
                  " vs at least one");
  e.val = training::mean_std(val);
  e.test = training::mean_std(test);
  e.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return e;
}

void print_graph_results(std::ostream& out, const GraphExperiment& e) {
  out << "dataset        " << e.dataset << ": " << e.graphs << " graphs, " << e.nodes << " nodes, "
      << e.features << " features, " << e.classes << " classes\n";
  out << "split          " << e.split << "\n";
  out << "model          " << e.model << " (" << e.num_parameters << " parameters)\n";
  out << "folds run      " << e.folds.size() << "\n";
  out << "val accuracy   " << training::format_mean_std(e.val) << "\n";
  out << "test accuracy  " << training::format_mean_std(e.test) << "\n";
  char wall[64];
  std::snprintf(wall, sizeof wall, "%.1f s", e.wall_seconds);
  out << "wall time      " << wall << "\n";
}

void write_graph_results(const fs::path& path, const GraphAppOptions& o, const GraphExperiment& e) {
  nlohmann::json folds = nlohmann::json::array();
  for (const FoldRecord& r : e.folds)
    folds.push_back({{"fold", r.fold},
                     {"best_epoch", r.fit.best_epoch},
                     {"val_accuracy", r.fit.best.val_metric},
                     {"test_accuracy", r.fit.best.test_metric},
                     {"mean_epoch_seconds", r.fit.mean_epoch_seconds}});
  nlohmann::json options{
      {"dataset", o.dataset},           {"model", o.model},   {"lr", o.lr},
      {"weight-decay", o.weight_decay}, {"epochs", o.epochs}, {"patience", o.patience},
      {"batch-size", o.batch_size},     {"folds", o.folds},   {"seed", o.seed}};
  for (const auto& [key, value] : graph_model_config(o)) options[key] = value;
  const nlohmann::json json{{"program", graph_app_version_line()},
                            {"options", options},
                            {"dataset",
                             {{"name", e.dataset},
                              {"graphs", e.graphs},
                              {"nodes", e.nodes},
                              {"features", e.features},
                              {"classes", e.classes},
                              {"split", e.split}}},
                            {"model", e.model},
                            {"num_parameters", e.num_parameters},
                            {"folds", folds},
                            {"val_accuracy", {{"mean", e.val.mean}, {"std", e.val.std}}},
                            {"test_accuracy", {{"mean", e.test.mean}, {"std", e.test.std}}},
                            {"wall_seconds", e.wall_seconds}};
  fs::path tmp = path;
  tmp += ".tmp" + std::to_string(::getpid());
  {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    MOEGNN_CHECK_AS(IoError, "write_graph_results", file.good(), "cannot open '", tmp.string(),
                    "' for writing vs a writable folder");
    file << json.dump(2) << "\n";
    file.flush();
    MOEGNN_CHECK_AS(IoError, "write_graph_results", file.good(), "writing '", tmp.string(),
                    "' failed vs a complete write");
  }
  std::error_code error;
  fs::rename(tmp, path, error);
  if (error) fs::remove(tmp);
  MOEGNN_CHECK_AS(IoError, "write_graph_results", !error, "renaming to '", path.string(),
                  "' failed: ", error.message(), " vs a writable path");
}

}  // namespace moegnn::apps
