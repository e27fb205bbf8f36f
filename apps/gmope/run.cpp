// SPDX-License-Identifier: Apache-2.0
// moegnn-gmope: pretraining, the fine-tuning arms and evaluation.
#include "apps/gmope/run.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "core/error.h"
#include "models/gmope/gmope_io.h"
#include "models/gmope/losses.h"
#include "models/link/link_split.h"
#include "models/training/metrics_ogb.h"
#include "apps/gmope/data.h"

namespace moegnn::apps {
namespace {

namespace fs = std::filesystem;
using models::FinetuneMode;

const char* task_name(TargetTask t) {
  return t == TargetTask::Node ? "node" : t == TargetTask::Link ? "link" : "graph";
}

std::vector<std::string> arms_of(const GmopeAppOptions& o) {
  if (std::find(o.arms.begin(), o.arms.end(), "all") != o.arms.end()) return kArms;
  for (const std::string& a : o.arms)
    MOEGNN_CHECK_AS(InvalidArgument, "--arms",
                    std::find(kArms.begin(), kArms.end(), a) != kArms.end(), "'", a,
                    "' vs all, scratch, full, gpf, gpf-plus, prompt-only, prompt-router, "
                    "gmope-full");
  return o.arms;
}

FinetuneMode mode_of(const std::string& arm) {
  if (arm == "scratch") return FinetuneMode::Scratch;
  if (arm == "full" || arm == "gmope-full") return FinetuneMode::Full;
  if (arm == "gpf") return FinetuneMode::Gpf;
  if (arm == "gpf-plus") return FinetuneMode::GpfPlus;
  if (arm == "prompt-only") return FinetuneMode::PromptOnly;
  return FinetuneMode::PromptRouter;
}

// Pretrains a model on o.sources; returns it with the report filled.
std::unique_ptr<models::Gmope> pretrain_model(const GmopeAppOptions& o, GmopeReport& report,
                                              std::ostream& log) {
  const auto mo = models::read_options<models::GmopeOptions>(gmope_model_config(o), "gmope");
  Rng init(static_cast<std::uint64_t>(o.seed) * 1000003ULL);
  auto model = std::make_unique<models::Gmope>(mo, init);
  std::vector<models::PretrainSource> sources;
  for (const std::string& name : o.sources) {
    sources.push_back(pretrain_source(load_gmope_graph(name, o.data_dir), mo, o.standardize));
    report.sources.push_back(name);
  }
  models::PretrainOptions p;
  p.epochs = o.pretrain_epochs;
  p.lr = o.pretrain_lr;
  p.pretext = o.pretext;
  p.orth_weight = o.orth_weight;
  p.orth_normalize = o.orth_normalize;
  p.balance_weight = o.balance_weight;
  p.link_batch = o.link_batch;
  p.contrast_nodes = o.contrast_nodes;
  p.seed = static_cast<std::uint64_t>(o.seed);
  if (!o.quiet)
    p.on_epoch = [&](Index epoch, double loss) {
      if (epoch == 1 || epoch % 10 == 0 || epoch == o.pretrain_epochs) {
        char line[96];
        std::snprintf(line, sizeof line, "pretrain epoch %lld/%lld: loss %.4f\n",
                      static_cast<long long>(epoch), static_cast<long long>(o.pretrain_epochs),
                      loss);
        log << line << std::flush;
      }
    };
  const models::PretrainResult r = models::pretrain(*model, sources, p);
  report.model = model->describe();
  report.pretrain_loss = r.epoch_loss;
  report.pretrain_entropy = r.usage_entropy;
  report.pretrain_seconds = r.seconds;
  return model;
}

std::unique_ptr<models::Gmope> arm_model(const std::string& arm, const fs::path& checkpoint,
                                         const fs::path& backbone, std::uint64_t seed) {
  Rng rng(seed);
  if (arm == "scratch")
    return std::make_unique<models::Gmope>(models::read_gmope_options(checkpoint), rng);
  const bool single = arm == "full" || arm == "gpf" || arm == "gpf-plus";
  const fs::path& path = single && !backbone.empty() ? backbone : checkpoint;
  models::ModelConfig overrides;
  const models::FeaturePrompt fp = models::feature_prompt_of(mode_of(arm));
  overrides["feature-prompt"] = fp == models::FeaturePrompt::Gpf       ? "gpf"
                                : fp == models::FeaturePrompt::GpfPlus ? "gpf-plus"
                                                                       : "none";
  return models::load_gmope(path, overrides, rng);
}

ArmResult run_point(const std::string& arm, const GmopeAppOptions& o, const LoadedGraph& target,
                    const fs::path& checkpoint, float lr, float weight_decay, std::ostream& log) {
  ArmResult a{arm, {}, {}, {}, {}, 0.0, 0, lr, weight_decay, {}};
  std::vector<double> val, test, entropy, seconds;
  for (Index run = 0; run < o.runs; ++run) {
    const auto seed = static_cast<std::uint64_t>(o.seed + run);
    auto model = arm_model(arm, checkpoint, o.backbone, seed * 7919ULL + 1);
    models::FinetuneOptions f;
    f.mode = mode_of(arm);
    f.epochs = o.epochs;
    f.lr = lr;
    f.weight_decay = weight_decay;
    f.patience = o.patience;
    f.orth_weight = o.finetune_orth_weight;
    f.head_dropout = o.head_dropout;
    f.seed = seed;
    const models::GmopeOptions& mo = model->options();
    models::FinetuneResult r;
    if (o.task == TargetTask::Node)
      r = models::finetune_node(*model, node_target(target, mo, o, run), f);
    if (o.task == TargetTask::Link)
      r = models::finetune_link(*model, link_target(target, mo, o, run), f);
    if (o.task == TargetTask::Graph)
      r = models::finetune_graph(*model, graph_target(target, mo, o, run), f);
    if (!o.quiet) {
      char line[240];
      std::snprintf(
          line, sizeof line,
          "%-13s lr %g wd %g run %lld: best epoch %lld, val %.4f, test %.4f, %lld trainable, "
          "%.4f s/epoch, entropy %.3f\n",
          arm.c_str(), static_cast<double>(lr), static_cast<double>(weight_decay),
          static_cast<long long>(run + 1), static_cast<long long>(r.best_epoch), r.val, r.test,
          static_cast<long long>(r.trainable_parameters), r.epoch_seconds, r.usage_entropy);
      log << line << std::flush;
    }
    val.push_back(r.val);
    test.push_back(r.test);
    entropy.push_back(r.usage_entropy);
    seconds.push_back(r.epoch_seconds);
    a.trainable_parameters = r.trainable_parameters;
    a.runs.push_back(r);
  }
  a.val = training::mean_std(val);
  a.test = training::mean_std(test);
  a.entropy = training::mean_std(entropy);
  std::sort(seconds.begin(), seconds.end());
  a.epoch_seconds = seconds[seconds.size() / 2];
  return a;
}

// Every (lr, weight decay) point over all runs; the arm keeps the point with the best mean
// validation metric.
ArmResult run_arm(const std::string& arm, const GmopeAppOptions& o, const LoadedGraph& target,
                  const fs::path& checkpoint, std::ostream& log) {
  std::vector<GridPoint> grid;
  ArmResult best;
  for (const float lr : o.lr)
    for (const float wd : o.weight_decay) {
      ArmResult a = run_point(arm, o, target, checkpoint, lr, wd, log);
      grid.push_back({lr, wd, a.val.mean});
      if (grid.size() == 1 || a.val.mean > best.val.mean) best = std::move(a);
    }
  best.grid = std::move(grid);
  return best;
}

void evaluate(const GmopeAppOptions& o, GmopeReport& report) {
  Rng rng(static_cast<std::uint64_t>(o.seed));
  auto model = models::load_gmope(o.checkpoint, {}, rng);
  report.model = model->describe();
  const LoadedGraph target = load_gmope_graph(o.target, o.data_dir);
  const models::GmopeOptions& mo = model->options();
  const models::LinkTarget t = link_target(target, mo, o, 0);
  model->eval();
  Tape tape(Tape::Mode::Inference);
  const models::GmopeOutput out = model->forward(tape, t.graph, rng);
  report.target_entropy = models::usage_entropy(out.gates.value());
  const Eigen::RowVectorXf usage = out.gates.value().host().colwise().mean();
  for (Index m = 0; m < usage.size(); ++m) report.expert_usage.push_back(usage(m));
  std::vector<float> s = models::link_scores(out.h.value(), t.test_pos);
  const std::vector<float> sn = models::link_scores(out.h.value(), t.test_neg);
  std::vector<float> y(s.size(), 1.0f);
  y.resize(s.size() + sn.size(), 0.0f);
  s.insert(s.end(), sn.begin(), sn.end());
  report.zero_shot_auc = training::roc_auc_score(y, s);
  report.orthogonality = model->orthogonality(tape).value().item();
}

}  // namespace

GmopeReport run_gmope(const GmopeAppOptions& o, std::ostream& log) {
  const auto start = std::chrono::steady_clock::now();
  GmopeReport report;
  report.target = o.target;
  report.task = task_name(o.task);
  if (o.command == GmopeCommand::Pretrain) {
    report.command = "pretrain";
    auto model = pretrain_model(o, report, log);
    if (!o.save.empty())
      models::save_gmope(o.save, *model, {{"gmope.sources", [&] {
                                             std::string s;
                                             for (const std::string& n : o.sources) {
                                               if (!s.empty()) s += ",";
                                               s += n;
                                             }
                                             return s;
                                           }()}});
  } else if (o.command == GmopeCommand::Evaluate) {
    report.command = "evaluate";
    MOEGNN_CHECK_AS(InvalidArgument, "evaluate", !o.checkpoint.empty(),
                    "no --checkpoint vs a pretrained GMoPE checkpoint");
    evaluate(o, report);
  } else {
    report.command = "finetune";
    fs::path checkpoint = o.checkpoint;
    fs::path temp;
    if (checkpoint.empty()) {
      auto model = pretrain_model(o, report, log);
      temp = fs::temp_directory_path() / ("moegnn-gmope-" + std::to_string(::getpid()));
      temp += ".safetensors";
      models::save_gmope(temp, *model);
      checkpoint = temp;
    } else {
      report.model = models::read_gmope_options(checkpoint).in_channels > 0
                         ? std::string("from ") + checkpoint.string()
                         : "";
    }
    try {
      const LoadedGraph target = load_gmope_graph(o.target, o.data_dir);
      for (const std::string& arm : arms_of(o))
        report.arms.push_back(run_arm(arm, o, target, checkpoint, log));
      report.metric =
          report.arms.empty() || report.arms[0].runs.empty() ? "" : report.arms[0].runs[0].metric;
    } catch (...) {
      if (!temp.empty()) fs::remove(temp);
      throw;
    }
    if (!temp.empty()) fs::remove(temp);
  }
  report.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

void print_gmope_report(std::ostream& out, const GmopeReport& r) {
  char line[256];
  out << "command        " << r.command << "\n";
  if (!r.model.empty()) out << "model          " << r.model << "\n";
  if (!r.pretrain_loss.empty()) {
    std::snprintf(line, sizeof line, "pretraining    %zu sources, loss %.4f -> %.4f, %.1f s\n",
                  r.sources.size(), r.pretrain_loss.front(), r.pretrain_loss.back(),
                  r.pretrain_seconds);
    out << line;
    for (std::size_t i = 0; i < r.sources.size() && i < r.pretrain_entropy.size(); ++i) {
      std::snprintf(line, sizeof line, "  %-20s expert-usage entropy %.3f\n", r.sources[i].c_str(),
                    r.pretrain_entropy[i]);
      out << line;
    }
  }
  if (r.command == "evaluate") {
    std::snprintf(line, sizeof line,
                  "target         %s: usage entropy %.3f, zero-shot link AUC %.4f, L_orth %.4f\n",
                  r.target.c_str(), r.target_entropy, r.zero_shot_auc, r.orthogonality);
    out << line;
  }
  if (!r.arms.empty()) {
    out << "target         " << r.target << " (" << r.task << ", " << r.metric << ")\n";
    std::snprintf(line, sizeof line, "%-14s %-15s %-15s %10s %10s %8s %9s %9s\n", "arm", "val",
                  "test", "trainable", "s/epoch", "entropy", "lr", "wd");
    out << line;
    for (const ArmResult& a : r.arms) {
      std::snprintf(
          line, sizeof line, "%-14s %-15s %-15s %10lld %10.4f %8.3f %9.3g %9.3g\n", a.arm.c_str(),
          training::format_mean_std(a.val).c_str(), training::format_mean_std(a.test).c_str(),
          static_cast<long long>(a.trainable_parameters), a.epoch_seconds, a.entropy.mean,
          static_cast<double>(a.lr), static_cast<double>(a.weight_decay));
      out << line;
    }
  }
  std::snprintf(line, sizeof line, "wall time      %.1f s\n", r.wall_seconds);
  out << line;
}

void write_gmope_report(const fs::path& path, const GmopeAppOptions& o, const GmopeReport& r) {
  nlohmann::json arms = nlohmann::json::array();
  for (const ArmResult& a : r.arms) {
    nlohmann::json runs = nlohmann::json::array();
    for (const models::FinetuneResult& f : a.runs)
      runs.push_back({{"val", f.val},
                      {"test", f.test},
                      {"best_epoch", f.best_epoch},
                      {"epochs_run", f.epochs_run},
                      {"epoch_seconds", f.epoch_seconds},
                      {"usage_entropy", f.usage_entropy}});
    nlohmann::json grid = nlohmann::json::array();
    for (const GridPoint& p : a.grid)
      grid.push_back({{"lr", p.lr}, {"weight_decay", p.weight_decay}, {"val", p.val}});
    arms.push_back({{"arm", a.arm},
                    {"val", {{"mean", a.val.mean}, {"std", a.val.std}}},
                    {"test", {{"mean", a.test.mean}, {"std", a.test.std}}},
                    {"usage_entropy", {{"mean", a.entropy.mean}, {"std", a.entropy.std}}},
                    {"trainable_parameters", a.trainable_parameters},
                    {"median_epoch_seconds", a.epoch_seconds},
                    {"lr", a.lr},
                    {"weight_decay", a.weight_decay},
                    {"grid", grid},
                    {"runs", runs}});
  }
  nlohmann::json options{{"target", o.target},
                         {"task", r.task},
                         {"shots", o.shots},
                         {"sources", o.sources},
                         {"checkpoint", o.checkpoint.string()},
                         {"backbone", o.backbone.string()},
                         {"epochs", o.epochs},
                         {"lr", o.lr},
                         {"weight-decay", o.weight_decay},
                         {"patience", o.patience},
                         {"pretrain-epochs", o.pretrain_epochs},
                         {"orth-weight", o.orth_weight},
                         {"balance-weight", o.balance_weight},
                         {"runs", o.runs},
                         {"seed", o.seed}};
  for (const auto& [key, value] : gmope_model_config(o)) options[key] = value;
  const nlohmann::json json{{"program", gmope_app_version_line()},
                            {"command", r.command},
                            {"options", options},
                            {"model", r.model},
                            {"pretrain_loss", r.pretrain_loss},
                            {"pretrain_usage_entropy", r.pretrain_entropy},
                            {"pretrain_seconds", r.pretrain_seconds},
                            {"metric", r.metric},
                            {"arms", arms},
                            {"target_usage_entropy", r.target_entropy},
                            {"expert_usage", r.expert_usage},
                            {"zero_shot_auc", r.zero_shot_auc},
                            {"wall_seconds", r.wall_seconds}};
  fs::path tmp = path;
  tmp += ".tmp" + std::to_string(::getpid());
  {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    MOEGNN_CHECK_AS(IoError, "write_gmope_report", file.good(), "cannot open '", tmp.string(),
                    "' for writing vs a writable folder");
    file << json.dump(2) << "\n";
    file.flush();
    MOEGNN_CHECK_AS(IoError, "write_gmope_report", file.good(), "writing '", tmp.string(),
                    "' failed vs a complete write");
  }
  std::error_code error;
  fs::rename(tmp, path, error);
  if (error) fs::remove(tmp);
  MOEGNN_CHECK_AS(IoError, "write_gmope_report", !error, "renaming to '", path.string(),
                  "' failed: ", error.message(), " vs a writable path");
}

}  // namespace moegnn::apps
