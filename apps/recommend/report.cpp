// SPDX-License-Identifier: Apache-2.0
// moegnn-recommend's outputs: the results table (mean ± std over runs of every metric at every K)
// and the --out JSON file (written to a temporary file, then renamed).
#include <cmath>
#include <cstdio>
#include <fstream>

#include <unistd.h>

#include "core/error.h"
#include "apps/build_info.h"
#include "apps/recommend/run.h"

namespace moegnn::apps {
namespace {

struct MeanStd {
  double mean = 0.0, std = 0.0;
};

MeanStd over_runs(const RecExperiment& e, bool val, const char* metric, Index k) {
  MeanStd m;
  std::vector<double> v;
  for (const RecRun& r : e.runs) v.push_back((val ? r.val : r.test).at(metric, k));
  for (const double x : v) m.mean += x / static_cast<double>(v.size());
  for (const double x : v) m.std += (x - m.mean) * (x - m.mean);
  m.std = v.size() > 1 ? std::sqrt(m.std / static_cast<double>(v.size() - 1)) : 0.0;
  return m;
}

constexpr const char* kMetrics[] = {"recall", "precision", "f1", "ndcg", "hr", "mrr"};

nlohmann::json metrics_json(const rec::RankingMetrics& m) {
  nlohmann::json j = nlohmann::json::object();
  for (const char* name : kMetrics)
    for (const Index k : m.ks) j[std::string(name) + "@" + std::to_string(k)] = m.at(name, k);
  j["users"] = m.num_users;
  return j;
}

}  // namespace

void print_experiment(std::ostream& out, const RecommendOptions& o, const RecExperiment& e) {
  out << "dataset  " << e.data_summary << "; split " << o.split << "\n";
  char line[256];
  std::snprintf(
      line, sizeof line,
      "model    %s: dim %lld, layers %lld; BPR lr %g, l2 %g, batch %lld, %lld epochs, %lld runs\n",
      o.model.c_str(), static_cast<long long>(o.dim), static_cast<long long>(o.layers), o.lr, o.l2,
      static_cast<long long>(o.batch_size), static_cast<long long>(o.epochs),
      static_cast<long long>(o.runs));
  out << line;
  const bool has_val = !e.runs.empty() && e.runs.front().has_val;
  for (const bool val : {true, false}) {
    if (val && !has_val) continue;
    out << (val ? "validation" : "test") << " (mean ± std over " << e.runs.size() << " runs)\n";
    out << "       K";
    for (const char* name : kMetrics) {
      std::snprintf(line, sizeof line, " %17s", name);
      out << line;
    }
    out << "\n";
    for (const Index k : o.ks) {
      std::snprintf(line, sizeof line, "%8lld", static_cast<long long>(k));
      out << line;
      for (const char* name : kMetrics) {
        const MeanStd m = over_runs(e, val, name, k);
        std::snprintf(line, sizeof line, "   %.4f ± %.4f", m.mean, m.std);
        out << line;
      }
      out << "\n";
    }
  }
}

void write_experiment(const std::filesystem::path& path, const RecommendOptions& o,
                      const RecExperiment& e) {
  nlohmann::json runs = nlohmann::json::array();
  for (const RecRun& r : e.runs) {
    double eval_sum = 0.0;  // mean wall time of one evaluation (val + test ranking passes)
    Index evals = 0;
    for (const training::EpochRecord& h : r.fit.history)
      if (!std::isnan(h.test_metric)) {
        eval_sum += h.eval_seconds;
        ++evals;
      }
    nlohmann::json j{
        {"run", r.run},
        {"seed", r.seed},
        {"epochs", r.fit.history.size()},
        {"best_epoch", r.fit.best_epoch},
        {"early_stopped", r.fit.early_stopped},
        {"seconds", r.seconds},
        {"seconds_per_epoch", r.fit.mean_epoch_seconds},
        {"seconds_per_evaluation", evals > 0 ? eval_sum / static_cast<double>(evals) : 0.0},
        {"test", metrics_json(r.test)}};
    if (r.has_val) j["val"] = metrics_json(r.val);
    runs.push_back(std::move(j));
  }
  nlohmann::json summary = nlohmann::json::object();
  for (const bool val : {true, false}) {
    if (e.runs.empty() || (val && !e.runs.front().has_val)) continue;
    for (const char* name : kMetrics)
      for (const Index k : o.ks) {
        const MeanStd m = over_runs(e, val, name, k);
        summary[val ? "val" : "test"][std::string(name) + "@" + std::to_string(k)] = {
            {"mean", m.mean}, {"std", m.std}};
      }
  }
  nlohmann::json options = data_model_json(o);
  options.update({{"command", o.command},
                  {"epochs", o.epochs},
                  {"lr", o.lr},
                  {"l2", o.l2},
                  {"weight_decay", e.weight_decay},
                  {"batch_size", o.batch_size},
                  {"patience", o.patience},
                  {"eval_every", o.eval_every},
                  {"ks", o.ks},
                  {"metric_k", o.metric_k},
                  {"runs", o.runs}});
  const nlohmann::json json{{"moegnn", {{"version", kVersion}, {"commit", kGitCommit}}},
                            {"options", options},
                            {"dataset", e.data_summary},
                            {"runs", runs},
                            {"summary", summary}};
  const std::filesystem::path tmp = path.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream file(tmp);
    MOEGNN_CHECK_AS(IoError, "write_results", file.good(), "cannot open '", tmp.string(),
                    "' for writing vs a writable folder");
    file << json.dump(2) << "\n";
    file.flush();
    MOEGNN_CHECK_AS(IoError, "write_results", file.good(), "writing '", tmp.string(),
                    "' failed vs a complete write");
  }
  std::error_code error;
  std::filesystem::rename(tmp, path, error);
  if (error) std::filesystem::remove(tmp);
  MOEGNN_CHECK_AS(IoError, "write_results", !error, "renaming to '", path.string(),
                  "' failed: ", error.message(), " vs a writable path");
}

}  // namespace moegnn::apps
