// SPDX-License-Identifier: Apache-2.0
// moegnn-node-classification's outputs: the results table and the --out JSON file.
#include <cstdio>
#include <ctime>
#include <fstream>
#include <string>
#include <unistd.h>

#include "apps/node_classification/run.h"
#include "apps/build_info.h"
#include "core/error.h"

namespace moegnn::apps {
namespace {

std::string format(const char* pattern, auto... values) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, pattern, values...);
  return buffer;
}

nlohmann::json mean_std_json(const training::MeanStd& m) {
  return {{"mean", m.mean}, {"std", m.std}, {"count", m.count}};
}

}  // namespace

void print_results(std::ostream& out, const AppOptions& o, const Experiment& e) {
  const DatasetSummary& d = e.dataset;
  out << format("dataset  %s: %lld nodes, %lld edges, %lld features, %lld classes; split %s\n",
                d.name.c_str(), static_cast<long long>(d.num_nodes),
                static_cast<long long>(d.num_edges), static_cast<long long>(d.num_features),
                static_cast<long long>(d.num_classes), split_name(o.split).c_str());
  out << format("model    %s; %lld parameters; %s, %s on %s\n", e.model.c_str(),
                static_cast<long long>(e.num_parameters),
                o.batch_size > 0 ? "sampled mini-batches" : "full batch",
                o.patience > 0 ? ("patience " + std::to_string(o.patience)).c_str()
                               : "no early stopping",
                e.device.c_str());
  out << "\n run  split      seed  epochs  best   train     val    test  ms/epoch\n";
  for (const RunRecord& r : e.runs) {
    const training::EpochRecord& b = r.fit.best;
    out << format("%4lld  %5s  %8llu  %6zu  %4lld  %6.2f  %6.2f  %6.2f  %8.2f\n",
                  static_cast<long long>(r.run),
                  r.split < 0 ? "-" : std::to_string(r.split).c_str(),
                  static_cast<unsigned long long>(r.seed), r.fit.history.size(),
                  static_cast<long long>(r.fit.best_epoch), 100.0 * b.train_metric,
                  100.0 * b.val_metric, 100.0 * b.test_metric,
                  1e3 * r.fit.mean_epoch_seconds);
  }
  const training::RepeatResult& s = e.summary;
  const std::string label = e.metric == "accuracy" ? "accuracy" : e.metric;
  out << format("\nval %-10s %s %%  (%lld runs)\n", label.c_str(),
                training::format_mean_std(s.val_metric).c_str(),
                static_cast<long long>(s.val_metric.count));
  out << format("test %-9s %s %%  (%lld runs, mean ± std)\n", label.c_str(),
                training::format_mean_std(s.test_metric).c_str(),
                static_cast<long long>(s.test_metric.count));
  for (const auto& [key, value] : s.extras)
    out << format("%-14s %s  (%lld runs)\n", key.c_str(),
                  training::format_mean_std(value, 4, 1.0).c_str(),
                  static_cast<long long>(value.count));
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
  const nlohmann::json json{
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
