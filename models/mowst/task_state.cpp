// SPDX-License-Identifier: Apache-2.0
// MowstTask's checkpoint state: the stage and its counters as JSON metadata ("task"), optimizers
// and snapshots as tensors under "task.":
//   task.pre.optimizer.<name>, task.pre.best.<expert name>   the pretraining in progress
//   task.pre.rng                                               its Rng [seed, counter]
//   task.opt_weak.<name>, task.opt_strong.<name>, task.opt_joint.<name>
//   task.turn_start.<name>, task.turn_best.<name>, task.joint_best.<name>   Mowst snapshots
// Non-finite numbers are written as the strings "nan", "inf" and "-inf".
#include <algorithm>
#include <bit>
#include <limits>
#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "models/mowst/task.h"

namespace moegnn::mowst {
namespace {

using Json = nlohmann::json;
constexpr const char* kKind = "moegnn.mowst.v1";

Json number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

double number_of(const Json& j) {
  if (j.is_string()) {
    const std::string s = j.get<std::string>();
    if (s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
    return std::numeric_limits<double>::quiet_NaN();
  }
  return j.get<double>();
}

Json to_json(const training::EarlyStopping::State& s) {
  return {s.best_epoch, number(s.best_value), s.bad_epochs, number(s.best_metric), s.seen};
}

training::EarlyStopping::State state_of(const Json& j) {
  return {j.at(0).get<Index>(), number_of(j.at(1)), j.at(2).get<Index>(), number_of(j.at(3)),
          j.at(4).get<bool>()};
}

void add_optimizer(training::Checkpoint& c, const std::string& prefix, const optim::Optimizer* o) {
  if (o != nullptr)
    for (const auto& [name, tensor] : o->state()) c.add(prefix + name, tensor);
}

optim::OptimizerState optimizer_state(const training::Checkpoint& c, const std::string& prefix) {
  optim::OptimizerState state;
  for (const std::string& name : c.names())
    if (name.starts_with(prefix)) state.emplace_back(name.substr(prefix.size()), c.tensor(name));
  return state;
}

}  // namespace

void MowstTask::write_state(training::Checkpoint& c) const {
  Json curve = Json::array();
  for (const CurvePoint& p : fit_.curve)
    curve.push_back({p.step, static_cast<int>(p.phase), p.round, number(p.loss),
                     number(p.val_metric), number(p.val_loss), number(p.mean_confidence)});
  Json j = {{"kind", kKind},
            {"stage", static_cast<int>(stage_)},
            {"step", step_},
            {"curve", curve},
            {"rounds", fit_.rounds},
            {"best_val", number(fit_.best_val)},
            {"rounds_started", rounds_started_},
            {"round", round_},
            {"weak_turn", weak_turn_},
            {"in_turn", in_turn_},
            {"turn_epoch", turn_epoch_},
            {"best", number(best_)},
            {"before", number(before_)},
            {"bad_rounds", bad_rounds_},
            {"turn_best", number(turn_best_)},
            {"bad", bad_},
            {"joint_started", joint_started_},
            {"joint_epoch", joint_epoch_},
            {"best_loss", number(best_loss_)}};
  if (pre_) {
    j["pre"] = {{"epoch", pre_->epoch},
                {"selection", to_json(pre_->selection.state())},
                {"stopping", to_json(pre_->stopping.state())},
                {"has_best", !pre_->best.empty()}};
    add_optimizer(c, "task.pre.optimizer.", pre_->optimizer.get());
    if (!pre_->best.empty()) pre_->best.write(c, "task.pre.best.", pretrain_expert());
    c.add_int64("task.pre.rng", {std::bit_cast<std::int64_t>(pre_->rng.seed()),
                                 std::bit_cast<std::int64_t>(pre_->rng.counter())},
                {2});
  }
  add_optimizer(c, "task.opt_weak.", opt_weak_.get());
  add_optimizer(c, "task.opt_strong.", opt_strong_.get());
  add_optimizer(c, "task.opt_joint.", opt_joint_.get());
  if (!turn_start_.empty()) turn_start_.write(c, "task.turn_start.", model_);
  if (!turn_snapshot_.empty()) turn_snapshot_.write(c, "task.turn_best.", model_);
  if (!joint_best_.empty()) joint_best_.write(c, "task.joint_best.", model_);
  c.set_metadata("task", j.dump());
}

void MowstTask::read_state(const training::Checkpoint& c) {
  // 1. Parse and check everything.
  MOEGNN_CHECK_AS(InvalidArgument, "MowstTask::read_state", c.has_metadata("task"),
                  "the checkpoint has no 'task' metadata vs a Mowst training checkpoint");
  Json j;
  MowstFit fit;
  try {
    j = Json::parse(c.metadata("task"));
    MOEGNN_CHECK_AS(InvalidArgument, "MowstTask::read_state", j.at("kind") == kKind,
                    "task state '", j.at("kind").dump(), "' vs '", kKind, "'");
    for (const Json& p : j.at("curve"))
      fit.curve.push_back({p.at(0).get<Index>(), static_cast<Phase>(p.at(1).get<int>()),
                           p.at(2).get<Index>(), number_of(p.at(3)), number_of(p.at(4)),
                           number_of(p.at(5)), number_of(p.at(6))});
    fit.rounds = j.at("rounds").get<Index>();
    fit.best_val = number_of(j.at("best_val"));
  } catch (const Json::exception& e) {
    MOEGNN_FAIL(IoError, "MowstTask::read_state", "task metadata is malformed (", e.what(),
                ") vs what write_state writes");
  }
  const auto stage = static_cast<Stage>(j.at("stage").get<int>());
  const bool has_pre = j.contains("pre");
  MOEGNN_CHECK_AS(InvalidArgument, "MowstTask::read_state",
                  !has_pre || stage == Stage::PretrainWeak || stage == Stage::PretrainStrong,
                  "pretraining state in stage ", static_cast<int>(stage),
                  " vs a pretraining stage");
  const std::vector<std::string> names = c.names();
  auto snapshot = [&](const char* prefix, layers::Module& m) {
    const bool present = std::any_of(names.begin(), names.end(),
                                     [&](const std::string& n) { return n.starts_with(prefix); });
    return present ? training::ModelSnapshot::read(c, prefix, m) : training::ModelSnapshot();
  };
  const training::ModelSnapshot turn_start = snapshot("task.turn_start.", model_);
  const training::ModelSnapshot turn_best = snapshot("task.turn_best.", model_);
  const training::ModelSnapshot joint_best = snapshot("task.joint_best.", model_);
  // 2. Apply.
  stage_ = stage;
  if (has_pre) {
    const Json& p = j.at("pre");
    const auto& rng = c.int64("task.pre.rng");
    MOEGNN_CHECK_AS(InvalidArgument, "MowstTask::read_state", rng.size() == 2,
                    "'task.pre.rng' has ", rng.size(), " values vs 2");
    start_pretraining(std::bit_cast<std::uint64_t>(rng[0]));
    pre_->rng.set_state(std::bit_cast<std::uint64_t>(rng[0]), std::bit_cast<std::uint64_t>(rng[1]));
    pre_->optimizer->load_state(optimizer_state(c, "task.pre.optimizer."));
    pre_->epoch = p.at("epoch").get<Index>();
    pre_->selection.load_state(state_of(p.at("selection")));
    pre_->stopping.load_state(state_of(p.at("stopping")));
    if (p.at("has_best").get<bool>())
      pre_->best = training::ModelSnapshot::read(c, "task.pre.best.", pretrain_expert());
  } else {
    pre_.reset();
  }
  if (opt_weak_) opt_weak_->load_state(optimizer_state(c, "task.opt_weak."));
  if (opt_strong_) opt_strong_->load_state(optimizer_state(c, "task.opt_strong."));
  if (opt_joint_) opt_joint_->load_state(optimizer_state(c, "task.opt_joint."));
  fit_ = std::move(fit);
  step_ = j.at("step").get<Index>();
  rounds_started_ = j.at("rounds_started").get<bool>();
  round_ = j.at("round").get<Index>();
  weak_turn_ = j.at("weak_turn").get<bool>();
  in_turn_ = j.at("in_turn").get<bool>();
  turn_epoch_ = j.at("turn_epoch").get<Index>();
  best_ = number_of(j.at("best"));
  before_ = number_of(j.at("before"));
  bad_rounds_ = j.at("bad_rounds").get<Index>();
  turn_best_ = number_of(j.at("turn_best"));
  bad_ = j.at("bad").get<Index>();
  joint_started_ = j.at("joint_started").get<bool>();
  joint_epoch_ = j.at("joint_epoch").get<Index>();
  best_loss_ = number_of(j.at("best_loss"));
  turn_start_ = turn_start;
  turn_snapshot_ = turn_best;
  joint_best_ = joint_best;
  cache_valid_ = false;  // the model is restored after the task: refresh on the next epoch
}

}  // namespace moegnn::mowst
