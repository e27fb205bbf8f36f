// SPDX-License-Identifier: Apache-2.0
// moegnn-node-classification's outputs: the results table and the --out JSON file.
#include <ctime>
#include <fstream>
#include <string>
#include <fmt/format.h>
#include <unistd.h>

#include "apps/node_classification/run.h"
#include "apps/build_info.h"
#include "core/error.h"

namespace moegnn::apps {
namespace {

nlohmann::json mean_std_json(const training::MeanStd& m) {
  return {{"mean", m.mean}, {"std", m.std}, {"count", m.count}};
}

}  // namespace

void print_results(std::ostream& out, const AppOptions& o, const Experiment& e) {
  const DatasetSummary& d = e.dataset;
  out << fmt::format("dataset  {}: {} nodes, {} edges, {} features, {} classes; split {}\n", d.name,
                     d.num_nodes, d.num_edges, d.num_features, d.num_classes, split_name(o.split));
  out << fmt::format("model    {}; {} parameters; {}, {} on {}\n", e.model, e.num_parameters,
                     o.batch_size > 0 ? "sampled mini-batches" : "full batch",
                     o.patience > 0 ? "patience " + std::to_string(o.patience)
                                    : std::string("no early stopping"),
                     e.device);
  out << "\n run  split      seed  epochs  best   train     val    test  ms/epoch\n";
  for (const RunRecord& r : e.runs) {
    const training::EpochRecord& b = r.fit.best;
    out << fmt::format("{:4}  {:>5}  {:8}  {:6}  {:4}  {:6.2f}  {:6.2f}  {:6.2f}  {:8.2f}\n", r.run,
                       r.split < 0 ? std::string("-") : std::to_string(r.split), r.seed,
                       r.fit.history.size(), r.fit.best_epoch, 100.0 * b.train_metric,
                       100.0 * b.val_metric, 100.0 * b.test_metric,
                       1e3 * r.fit.mean_epoch_seconds);
  }
  const training::RepeatResult& s = e.summary;
  const std::string& label = e.metric;  // "accuracy", "roc_auc" or "macro_f1"
  out << fmt::format("\nval {:<10} {} %  ({} runs)\n", label,
                     training::format_mean_std(s.val_metric), s.val_metric.count);
  out << fmt::format("test {:<9} {} %  ({} runs, mean ± std)\n", label,
                     training::format_mean_std(s.test_metric), s.test_metric.count);
  for (const auto& [key, value] : s.extras)
    out << fmt::format("{:<14} {}  ({} runs)\n", key, training::format_mean_std(value, 4, 1.0),
                       value.count);
}

void write_results(const std::filesystem::path& path, const AppOptions& o, const Experiment& e) {
  nlohmann::json runs = nlohmann::json::array();
  for (const RunRecord& r : e.runs) {
    const training::EpochRecord& b = r.fit.best;
    runs.push_back({{"run", r.run},
                    {"split", r.split},
                    {"seed", r.seed},
                    {"epochs", r.fit.history.size()},
                    {"best_epoch", r.fit.best_epoch},
                    {"early_stopped", r.fit.early_stopped},
                    {"train_" + e.metric, b.train_metric},
                    {"val_" + e.metric, b.val_metric},
                    {"test_" + e.metric, b.test_metric},
                    {"val_loss", b.val_loss},
                    {"seconds_per_epoch", r.fit.mean_epoch_seconds},
                    {"extras", r.fit.extras}});
  }
  const std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  nlohmann::json json{
      {"moegnn", {{"version", kVersion}, {"commit", kGitCommit}, {"native", kNative}, {"written", stamp}}},
      {"options", options_json(o)},
      {"dataset",
       {{"name", e.dataset.name},
        {"num_nodes", e.dataset.num_nodes},
        {"num_edges", e.dataset.num_edges},
        {"num_features", e.dataset.num_features},
        {"num_classes", e.dataset.num_classes}}},
      {"model", e.model},
      {"device", e.device},
      {"num_parameters", e.num_parameters},
      {"runs", runs},
      {"metric", e.metric},
      {"val_" + e.metric, mean_std_json(e.summary.val_metric)},
      {"test_" + e.metric, mean_std_json(e.summary.test_metric)}};
  for (const auto& [key, value] : e.extra_json.items()) json[key] = value;
  write_json(path, json);
}

void write_json(const std::filesystem::path& path, const nlohmann::json& json) {
  // Write next to the target, then rename: readers see the old file or the whole new one.
  std::filesystem::path tmp = path;
  tmp += ".tmp" + std::to_string(::getpid());
  {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    MOEGNN_CHECK_AS(IoError, "write_json", file.good(), "cannot open '", tmp.string(),
                    "' for writing vs a writable folder");
    file << json.dump(2) << "\n";
    file.flush();
    MOEGNN_CHECK_AS(IoError, "write_json", file.good(), "writing '", tmp.string(),
                    "' failed vs a complete write");
  }
  std::error_code error;
  std::filesystem::rename(tmp, path, error);
  if (error) std::filesystem::remove(tmp);
  MOEGNN_CHECK_AS(IoError, "write_json", !error, "renaming to '", path.string(),
                  "' failed: ", error.message(), " vs a writable path");
}

}  // namespace moegnn::apps
