// SPDX-License-Identifier: Apache-2.0
// The epoch loop: train, evaluate, select, stop, report, for any task. Checkpoint contents live in
// trainer_state.cpp.
#include "models/training/trainer.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "core/error.h"
#include "core/ops/reduce.h"
#include "core/optim/adam.h"
#include "models/training/node_task.h"

namespace moegnn::training {
namespace {

// Streams derived from the seed that never meet the trainer's own Rng (whose counter stays far
// below 2^62): batch order and evaluation sampling do not share draws with dropout or training
// samples, and changing the evaluation mode does not change training.
constexpr std::uint64_t kBatchStream = 1ULL << 62;
constexpr std::uint64_t kEvalStream = (1ULL << 62) + 1;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double cpu_seconds_since(std::clock_t start) {
  return static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
}

}  // namespace

Trainer::Trainer(layers::Module& model, std::unique_ptr<Task> task, TrainOptions options)
    : model_(model),
      task_(std::move(task)),
      options_(std::move(options)),
      rng_(options_.seed),
      selection_(EarlyStopping::for_monitor(options_.select_on)),
      stopping_(EarlyStopping::for_monitor(options_.early_stopping.monitor,
                                           options_.early_stopping.patience,
                                           options_.early_stopping.min_delta)) {
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer", task_ != nullptr, "no task vs one");
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer", options_.epochs >= 1, "epochs is ", options_.epochs,
                  " vs >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer", options_.lr > 0.0f && options_.weight_decay >= 0.0f,
                  "lr ", options_.lr, " and weight_decay ", options_.weight_decay,
                  " vs lr > 0, weight_decay >= 0");
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer", options_.checkpoint_every >= 1,
                  "checkpoint_every is ", options_.checkpoint_every, " vs >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer", options_.clip_grad_norm >= 0.0f, "clip_grad_norm is ",
                  options_.clip_grad_norm, " vs >= 0 (0: off)");
  params_ = model_.parameters();
  (void)parameter_keys(params_);  // unique names, needed by checkpoints
  if (task_->owns_optimizers()) return;
  if (options_.make_optimizer) {
    optimizer_ = options_.make_optimizer(params_);
    MOEGNN_CHECK_AS(InvalidArgument, "Trainer", optimizer_ != nullptr,
                    "make_optimizer returned null vs an optimizer");
  } else {
    optimizer_ = std::make_unique<optim::Adam>(
        std::vector<optim::ParamGroup>{{params_, options_.lr, options_.weight_decay}});
  }
  if (options_.make_schedule) schedule_ = options_.make_schedule(*optimizer_);
}

Trainer::Trainer(layers::Module& model, ForwardFn forward, LabeledSplit split, TrainOptions options)
    : Trainer(model,
              std::make_unique<NodeClassificationTask>(full_graph_source(model, std::move(forward)),
                                                       std::move(split), options.metric),
              std::move(options)) {}

Trainer::Trainer(layers::Module& model, BlockForwardFn forward, graph::Csr graph, Tensor features,
                 LabeledSplit split, TrainOptions options, SamplingOptions sampling)
    : Trainer(model, std::move(forward), std::move(graph),
              std::make_shared<InMemoryFeatures>(std::move(features)), std::move(split),
              std::move(options), std::move(sampling)) {}

Trainer::Trainer(layers::Module& model, BlockForwardFn forward, graph::Csr graph,
                 std::shared_ptr<const FeatureStore> features, LabeledSplit split,
                 TrainOptions options, SamplingOptions sampling)
    : Trainer(model,
              std::make_unique<NodeClassificationTask>(
                  sampled_block_source(model, std::move(forward), std::move(graph),
                                       std::move(features), split.train, sampling,
                                       Rng::bits(options.seed, kBatchStream)),
                  std::move(split), options.metric),
              std::move(options)) {}

Trainer::~Trainer() = default;

optim::Optimizer& Trainer::optimizer() {
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer::optimizer", optimizer_ != nullptr,
                  "the task owns its optimizers vs a trainer-built one");
  return *optimizer_;
}

EpochRecord Trainer::run_epoch() {
  EpochRecord record;
  record.epoch = epoch_ + 1;
  record.lr = optimizer_ ? optimizer_->groups().front().lr : task_->learning_rate();
  std::optional<Stepper> stepper;
  if (optimizer_) stepper.emplace(model_, *optimizer_, options_.clip_grad_norm);
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  record.loss = task_->train_epoch(record.epoch, rng_, stepper ? &*stepper : nullptr);
  record.seconds = seconds_since(start);
  record.cpu_seconds = cpu_seconds_since(cpu_start);
  if (schedule_) schedule_->step();
  epoch_ = record.epoch;
  evaluate(record);
  return record;
}

void Trainer::evaluate(EpochRecord& record) {
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  Rng eval_rng(
      Rng::bits(Rng::bits(options_.seed, kEvalStream), static_cast<std::uint64_t>(epoch_)));
  const Evaluation e = task_->evaluate(epoch_, eval_rng, options_.evaluate_train);
  record.train_loss = e.train.loss;
  record.train_metric = e.train.metric;
  record.val_loss = e.val.loss;
  record.val_metric = e.val.metric;
  record.test_loss = e.test.loss;
  record.test_metric = e.test.metric;
  record.eval_seconds = seconds_since(start);
  record.eval_cpu_seconds = cpu_seconds_since(cpu_start);
}

void Trainer::track(const EpochRecord& record) {
  if (!task_->trainer_selects()) return;
  const auto value = [&](Monitor m) {
    return m == Monitor::ValLoss ? record.val_loss : record.val_metric;
  };
  const auto update = [&](EarlyStopping& tracker, Monitor m) {
    return m == Monitor::ValLossAndMetric
               ? tracker.update(record.epoch, record.val_loss, record.val_metric)
               : tracker.update(record.epoch, value(m));
  };
  if (update(selection_, options_.select_on))
    best_ = ModelSnapshot::capture(model_);
  update(stopping_, options_.early_stopping.monitor);
}

void Trainer::report(const EpochRecord& record, ProgressBar& bar, JsonLinesLog* log) {
  const std::string m = task_->metric_name();
  if (log != nullptr)
    log->write({record.epoch,
                record.loss,
                {{"train_loss", record.train_loss},
                 {"train_" + m, record.train_metric},
                 {"val_loss", record.val_loss},
                 {"val_" + m, record.val_metric},
                 {"test_loss", record.test_loss},
                 {"test_" + m, record.test_metric}},
                record.seconds,
                record.lr});
  const bool last = epoch_ == options_.epochs || stopping_.should_stop() || task_->finished();
  if (!options_.checkpoint_path.empty() && (epoch_ % options_.checkpoint_every == 0 || last))
    save_checkpoint(options_.checkpoint_path);
  if (bar.enabled()) {
    bar.update(record.epoch,
               fmt::format("loss {:.4f} val_{} {:.4f}", record.loss, m, record.val_metric));
  }
  if (options_.on_epoch) options_.on_epoch(record);
}

FitResult Trainer::fit() {
  if (options_.resume && !options_.checkpoint_path.empty() &&
      std::filesystem::exists(options_.checkpoint_path))
    load_checkpoint(options_.checkpoint_path);
  std::optional<JsonLinesLog> log;
  if (!options_.log_path.empty())
    log.emplace(options_.log_path,
                epoch_ > 0 ? JsonLinesLog::Mode::ResumeAfter : JsonLinesLog::Mode::Truncate,
                epoch_);
  ProgressBar bar(options_.epochs, std::cerr,
                  options_.progress && ProgressBar::stderr_is_terminal(), epoch_,
                  options_.progress_label);
  while (epoch_ < options_.epochs && !stopping_.should_stop() && !task_->finished()) {
    history_.push_back(run_epoch());
    track(history_.back());
    report(history_.back(), bar, log ? &*log : nullptr);
  }
  bar.finish();
  if (options_.restore_best && !best_.empty()) best_.restore(model_);
  model_.train();
  return result();
}

FitResult Trainer::result() const {
  FitResult out;
  out.history = history_;
  out.early_stopped = stopping_.should_stop();
  out.best_epoch = selection_.has_best() ? selection_.best_epoch()
                                         : (history_.empty() ? -1 : history_.back().epoch);
  double total = 0.0;
  for (const EpochRecord& r : history_) {
    total += r.seconds;
    if (r.epoch == out.best_epoch) out.best = r;
  }
  if (!history_.empty()) out.mean_epoch_seconds = total / static_cast<double>(history_.size());
  return out;
}

}  // namespace moegnn::training
