// SPDX-License-Identifier: Apache-2.0
// MowstTask: the stages of Mowst / Mowst* training, one epoch per call. The frozen side of a Mowst
// turn is evaluated once per turn in evaluation mode and enters the loss as a constant (the
// reference recomputes it every epoch in training mode, with dropout; see docs/mowst.md).
#include "models/mowst/task.h"

#include <cmath>
#include <limits>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/reduce.h"
#include "core/ops/shape.h"
#include "core/optim/adam.h"
#include "core/optim/adamw.h"
#include "models/mowst/inference.h"
#include "models/mowst/losses.h"
#include "models/training/batch_source.h"
#include "models/training/metrics.h"

namespace moegnn::mowst {
namespace {

using training::ModelSnapshot;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::unique_ptr<optim::Optimizer> make_optimizer(std::vector<optim::ParamGroup> groups,
                                                 bool adamw) {
  if (adamw) return std::make_unique<optim::AdamW>(std::move(groups));
  return std::make_unique<optim::Adam>(std::move(groups));
}

// rows.size() × K one-hot rows of the labels of `rows`.
Tensor one_hot(const IndexArray32& labels, const IndexArray32& rows, Index num_classes) {
  Tensor out = Tensor::zeros(rows.size(), num_classes);
  auto o = out.host();
  for (Index i = 0; i < rows.size(); ++i) {
    const auto v = rows[i];
    MOEGNN_CHECK_AS(InvalidArgument, "train_mowst", v >= 0 && v < labels.size(), "node ", v,
                    " vs [0, ", labels.size(), ")");
    const auto y = labels[v];
    MOEGNN_CHECK_AS(InvalidArgument, "train_mowst", y >= 0 && y < num_classes, "label of node ", v,
                    " is ", y, " vs [0, ", num_classes, ")");
    o(i, y) = 1.0f;
  }
  return out;
}

}  // namespace

MowstTask::MowstTask(Mowst& model, const MowstGraphs& graphs, const Tensor& x,
                     const training::LabeledSplit& split, Index num_classes,
                     const MowstTrainOptions& options)
    : model_(model), graphs_(graphs), x_(x), split_(split), options_(options) {
  MOEGNN_CHECK_AS(InvalidArgument, "train_mowst", !split.train.empty() && !split.val.empty(),
                  "train has ", split.train.size(), " and val ", split.val.size(),
                  " nodes vs both non-empty (selection uses validation)");
  MOEGNN_CHECK_AS(InvalidArgument, "train_mowst",
                  x.rows() == graphs.strong.num_nodes() && x.rows() == graphs.weak.num_nodes() &&
                      split.labels.size() == x.rows(),
                  "x has ", x.rows(), " rows, labels ", split.labels.size(), " vs ",
                  graphs.strong.num_nodes(), " nodes");
  train_onehot_ = one_hot(split.labels, split.train, num_classes);
  val_onehot_ = one_hot(split.labels, split.val, num_classes);
  const auto& o = options_;
  if (o.variant == Variant::Mowst) {
    opt_weak_ = make_optimizer({{model_.weak().parameters(), o.lr, o.weight_decay},
                                {model_.gate().parameters(), o.lr_gate, o.weight_decay}},
                               o.adamw);
    opt_strong_ = make_optimizer({{model_.strong().parameters(), o.lr, o.weight_decay}}, o.adamw);
  } else {
    opt_joint_ = make_optimizer({{model_.weak().parameters(), o.lr, o.weight_decay},
                                 {model_.strong().parameters(), o.lr, o.weight_decay},
                                 {model_.gate().parameters(), o.lr_gate, o.weight_decay}},
                                o.adamw);
  }
  const bool weak = o.pretrain == Pretrain::Weak || o.pretrain == Pretrain::Both;
  const bool strong = o.pretrain == Pretrain::Strong || o.pretrain == Pretrain::Both;
  stage_ = weak     ? Stage::PretrainWeak
           : strong ? Stage::PretrainStrong
                    : (o.variant == Variant::Mowst ? Stage::Alternating : Stage::Joint);
  if (stage_ == Stage::Alternating && o.max_rounds < 1) stage_ = Stage::Done;
}

MowstTask::~MowstTask() = default;

Index MowstTask::max_epochs() const {
  const auto& o = options_;
  return 2 * o.pretrain_epochs + 2 * o.max_rounds * o.turn_epochs + o.epochs + 1;
}

ModelSnapshot MowstTask::capture() const { return ModelSnapshot::capture(model_); }
void MowstTask::restore(const ModelSnapshot& s) const { s.restore(model_); }

void MowstTask::record(Phase phase, Index round, double loss, double val, double val_loss,
                       double mean_c) {
  fit_.curve.push_back({++step_, phase, round, loss, val, val_loss, mean_c});
  last_ = {};
  last_.val = {val_loss, val};
}

models::NodeModel& MowstTask::pretrain_expert() const {
  return stage_ == Stage::PretrainWeak ? model_.weak() : model_.strong();
}

// Pretraining trains the expert alone exactly as a Trainer with these settings does: its own Rng
// (seeded from the run's), Adam / AdamW, selection and early stopping on validation loss.
void MowstTask::start_pretraining(std::uint64_t seed) {
  const auto& o = options_;
  models::NodeModel& expert = pretrain_expert();
  const models::PreparedGraph& graph =
      stage_ == Stage::PretrainWeak ? graphs_.weak : graphs_.strong;
  pre_.emplace();
  pre_->rng = Rng(seed);
  Tensor x = x_;
  training::ForwardFn forward = [&expert, &graph, x](Tape& tape, Rng& r) {
    return expert.forward(tape, graph, tape.constant(x), r);
  };
  pre_->task = std::make_unique<training::NodeClassificationTask>(
      training::full_graph_source(expert, std::move(forward)), split_,
      training::Metric::Accuracy);
  pre_->optimizer = make_optimizer({{expert.parameters(), o.lr, o.weight_decay}}, o.adamw);
  pre_->selection = training::EarlyStopping::for_monitor(training::Monitor::ValLoss);
  pre_->stopping =
      training::EarlyStopping::for_monitor(training::Monitor::ValLoss, o.pretrain_patience);
}

double MowstTask::pretrain_epoch() {
  models::NodeModel& expert = pretrain_expert();
  Pretraining& p = *pre_;
  training::Stepper stepper(expert, *p.optimizer);
  const double loss = p.task->train_epoch(++p.epoch, p.rng, &stepper);
  Rng unused(0);  // full-graph evaluation draws nothing
  const training::Evaluation e = p.task->evaluate(p.epoch, unused, false);
  record(stage_ == Stage::PretrainWeak ? Phase::PretrainWeak : Phase::PretrainStrong, 0, loss,
         e.val.metric, e.val.loss, kNaN);
  if (p.selection.update(p.epoch, e.val.loss)) p.best = ModelSnapshot::capture(expert);
  p.stopping.update(p.epoch, e.val.loss);
  if (p.epoch >= options_.pretrain_epochs || p.stopping.should_stop()) {
    if (!p.best.empty()) p.best.restore(expert);
    expert.train();
    pre_.reset();
    next_stage();
  }
  return loss;
}

void MowstTask::next_stage() {
  const auto& o = options_;
  const bool strong = o.pretrain == Pretrain::Strong || o.pretrain == Pretrain::Both;
  if (stage_ == Stage::PretrainWeak && strong) {
    stage_ = Stage::PretrainStrong;
    return;
  }
  if (stage_ == Stage::PretrainWeak || stage_ == Stage::PretrainStrong) {
    stage_ = o.variant == Variant::Mowst ? Stage::Alternating : Stage::Joint;
    if (stage_ == Stage::Alternating && o.max_rounds < 1) stage_ = Stage::Done;
    return;
  }
  stage_ = Stage::Done;
}

double MowstTask::train_epoch(Index, Rng& rng, training::Stepper*) {
  switch (stage_) {
  case Stage::PretrainWeak:
  case Stage::PretrainStrong:
    if (!pre_) start_pretraining(rng.next_u64());
    return pretrain_epoch();
  case Stage::Alternating:
    if (!in_turn_) start_turn();
    return turn_epoch(rng);
  case Stage::Joint:
    return joint_epoch(rng);
  case Stage::Done:
    break;
  }
  MOEGNN_FAIL(InvalidArgument, "MowstTask::train_epoch", "training has finished vs a stage left");
}

training::Evaluation MowstTask::evaluate(Index, Rng&, bool) { return last_; }

}  // namespace moegnn::mowst
