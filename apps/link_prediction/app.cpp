// SPDX-License-Identifier: Apache-2.0
// moegnn-link-prediction: parse, run, print the table, write --out (atomically: a temporary file
// renamed over the target).
#include "apps/link_prediction/app.h"

#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "apps/build_info.h"
#include "apps/cli/validators.h"
#include "apps/link_prediction/run.h"
#include "core/error.h"

namespace moegnn::apps {
namespace {

nlohmann::json stats(const training::MeanStd& m) {
  return {{"mean", m.mean}, {"std", m.std}, {"count", m.count}};
}

void write_results(const std::filesystem::path& path, const CLI::App& app,
                   const LinkAppOptions& o, const LinkExperiment& e) {
  nlohmann::json j;
  j["program"] = "moegnn-link-prediction";
  j["commit"] = kGitCommit;
  j["options"] = nlohmann::json::parse(app.config_to_str(true, false));
  j["options"]["completion"] = enum_name(completion_names(), o.completion);  // not the enum's integer
  j["dataset"] = {{"name", e.dataset}, {"nodes", e.num_nodes}, {"edges", e.num_edges}};
  j["num_parameters"] = e.num_parameters;
  j["seconds"] = e.seconds;
  j["val_metric"] = stats(e.summary.val_metric);
  j["test_metric"] = stats(e.summary.test_metric);
  for (const auto& [key, value] : e.summary.extras) j["extras"][key] = stats(value);
  for (const auto& r : e.runs) {
    // Per epoch: training steps and the evaluation pass (validation + test) in wall seconds.
    std::vector<double> train_s, eval_s, train_cpu, eval_cpu;
    for (const auto& h : r.history) {
      train_s.push_back(h.seconds);
      eval_s.push_back(h.eval_seconds);
      train_cpu.push_back(h.cpu_seconds);
      eval_cpu.push_back(h.eval_cpu_seconds);
    }
    j["runs"].push_back({{"best_epoch", r.best_epoch}, {"val", r.best.val_metric},
                         {"test", r.best.test_metric}, {"extras", r.extras},
                         {"epoch_seconds", r.mean_epoch_seconds},
                         {"train_seconds_per_epoch", train_s},
                         {"eval_seconds_per_epoch", eval_s},
                         {"train_cpu_seconds_per_epoch", train_cpu},
                         {"eval_cpu_seconds_per_epoch", eval_cpu}});
  }
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream file(tmp);
    MOEGNN_CHECK_AS(IoError, "--out", file.good(), "cannot open '", tmp.string(), "' vs writable");
    file << j.dump(2) << "\n";
    file.flush();
    MOEGNN_CHECK_AS(IoError, "--out", file.good(), "writing '", tmp.string(), "' failed");
  }
  std::error_code error;
  std::filesystem::rename(tmp, path, error);
  MOEGNN_CHECK_AS(IoError, "--out", !error, "renaming to '", path.string(), "': ",
                  error.message());
}

void print_table(std::ostream& out, const LinkAppOptions& o, const LinkExperiment& e) {
  const auto& s = e.summary;
  out << "dataset " << e.dataset << " (" << e.num_nodes << " nodes, " << e.num_edges
      << " stored edges), model " << o.model << ", " << o.runs << " run(s), " << e.num_parameters
      << " parameters\n";
  out << "val hits@" << o.hits_k << "  " << training::format_mean_std(s.val_metric) << "\n";
  out << "test hits@" << o.hits_k << " " << training::format_mean_std(s.test_metric) << "\n";
  for (const auto& [key, value] : s.extras)
    out << key << " " << training::format_mean_std(value) << "\n";
  char line[96];
  std::snprintf(line, sizeof line, "wall time %.1f s, %.3f s per epoch\n", e.seconds,
                s.epoch_seconds.mean);
  out << line;
}

}  // namespace

int link_prediction_main(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app("moegnn-link-prediction: NCN, GAE and CN/AA/RA heuristics for link prediction");
  LinkAppOptions o;
  add_link_flags(app, o);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    err << "error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return 1;
  }
  try {
    check_link_flags(o);
    const LinkExperiment e = run_link_experiment(o, out, err);
    print_table(out, o, e);
    if (!o.out.empty()) write_results(o.out, app, o, e);
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace moegnn::apps
