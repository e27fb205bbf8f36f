// SPDX-License-Identifier: Apache-2.0
// The epoch loop: train, evaluate, select, stop, report. Checkpoint contents live in
// trainer_state.cpp.
#include "models/training/trainer.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>

#include "core/error.h"
#include "core/ops/reduce.h"
#include "core/optim/adam.h"
#include "models/metrics_ogb.h"
#include "models/training/detail/runner.h"

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

// Mean cross-entropy (double) of `logits` (one row per id of `set`, on the CPU) against
// labels[set[i]].
double mean_cross_entropy(const Tensor& logits, const IndexArray32& labels,
                          const IndexArray32& set) {
  const auto l = logits.host();
  const auto ids = set.host();
  double sum = 0.0;
  for (Index i = 0; i < l.rows(); ++i) {
    const double max = l.row(i).maxCoeff();
    double z = 0.0;
    for (Index c = 0; c < l.cols(); ++c) z += std::exp(static_cast<double>(l(i, c)) - max);
    const std::int32_t y = labels[ids[static_cast<std::size_t>(i)]];
    sum += max + std::log(z) - static_cast<double>(l(i, y));
  }
  return sum / static_cast<double>(l.rows());
}

double metric_of(Metric metric, const Tensor& logits, const IndexArray32& labels,
                 const IndexArray32& set) {
  IndexArray32 y(set.size());
  for (Index i = 0; i < set.size(); ++i) y.host()[static_cast<std::size_t>(i)] = labels[set[i]];
  const IndexArray32 predicted = ops::argmax_rows(logits);
  return metric == Metric::Accuracy ? models::accuracy_score(y, predicted)
                                    : models::macro_f1_score(y, predicted);
}

void check_ids(const IndexArray32& set, Index num_labels, const char* name) {
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer", set.device() == Device::Cpu, name, " is on ",
                  to_string(set.device()), " vs cpu");
  for (Index i = 0; i < set.size(); ++i)
    MOEGNN_CHECK_AS(InvalidArgument, "Trainer", set[i] >= 0 && set[i] < num_labels, name, "[", i,
                    "] = ", set[i], " vs a node id in [0, ", num_labels, ")");
}

}  // namespace

Trainer::Trainer(layers::Module& model, NodeSplit split, TrainOptions options)
    : model_(model),
      split_(std::move(split)),
      options_(std::move(options)),
      rng_(options_.seed),
      selection_(EarlyStopping::for_monitor(options_.select_on)),
      stopping_(EarlyStopping::for_monitor(options_.early_stopping.monitor,
                                           options_.early_stopping.patience,
                                           options_.early_stopping.min_delta)) {
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer", options_.epochs >= 1, "epochs is ", options_.epochs,
                  " vs >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer", !split_.train.empty(),
                  "the training set is empty vs at least one node");
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer", options_.lr > 0.0f && options_.weight_decay >= 0.0f,
                  "lr ", options_.lr, " and weight_decay ", options_.weight_decay,
                  " vs lr > 0, weight_decay >= 0");
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer", options_.checkpoint_every >= 1,
                  "checkpoint_every is ", options_.checkpoint_every, " vs >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer", options_.clip_grad_norm >= 0.0f, "clip_grad_norm is ",
                  options_.clip_grad_norm, " vs >= 0 (0: off)");
  check_ids(split_.train, split_.labels.size(), "train");
  check_ids(split_.val, split_.labels.size(), "val");
  check_ids(split_.test, split_.labels.size(), "test");
  params_ = model_.parameters();
  (void)parameter_keys(params_);  // unique names, needed by checkpoints
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

Trainer::Trainer(layers::Module& model, ForwardFn forward, NodeSplit split, TrainOptions options)
    : Trainer(model, std::move(split), std::move(options)) {
  runner_ = detail::make_full_batch_runner(model_, std::move(forward), split_);
}

Trainer::Trainer(layers::Module& model, BlockForwardFn forward, graph::Csr graph, Tensor features,
                 NodeSplit split, TrainOptions options, SamplingOptions sampling)
    : Trainer(model, std::move(split), std::move(options)) {
  runner_ = detail::make_mini_batch_runner(model_, std::move(forward), std::move(graph),
                                           std::move(features), split_, sampling,
                                           Rng::bits(options_.seed, kBatchStream));
}

Trainer::~Trainer() = default;

EpochRecord Trainer::run_epoch() {
  EpochRecord record;
  record.epoch = epoch_ + 1;
  record.lr = optimizer_->groups().front().lr;
  detail::Stepper stepper(model_, *optimizer_, options_.clip_grad_norm);
  const auto start = std::chrono::steady_clock::now();
  record.loss = runner_->train_epoch(record.epoch, rng_, stepper);
  record.seconds = seconds_since(start);
  if (schedule_) schedule_->step();
  epoch_ = record.epoch;
  evaluate(record);
  return record;
}

void Trainer::evaluate(EpochRecord& record) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<IndexArray32> sets{split_.val, split_.test};
  if (options_.evaluate_train) sets.push_back(split_.train);
  Rng eval_rng(
      Rng::bits(Rng::bits(options_.seed, kEvalStream), static_cast<std::uint64_t>(epoch_)));
  const std::vector<Tensor> logits = runner_->predict(sets, eval_rng);
  double* losses[] = {&record.val_loss, &record.test_loss, &record.train_loss};
  double* metrics[] = {&record.val_metric, &record.test_metric, &record.train_metric};
  for (std::size_t s = 0; s < sets.size(); ++s) {
    if (sets[s].empty()) continue;
    const Tensor host = logits[s].to(Device::Cpu);  // metrics are computed on the host
    *losses[s] = mean_cross_entropy(host, split_.labels, sets[s]);
    *metrics[s] = metric_of(options_.metric, host, split_.labels, sets[s]);
  }
  record.eval_seconds = seconds_since(start);
}

void Trainer::track(const EpochRecord& record) {
  const auto value = [&](Monitor m) {
    return m == Monitor::ValLoss ? record.val_loss : record.val_metric;
  };
  const auto update = [&](EarlyStopping& tracker, Monitor m) {
    return m == Monitor::ValLossAndMetric
               ? tracker.update(record.epoch, record.val_loss, record.val_metric)
               : tracker.update(record.epoch, value(m));
  };
  if (update(selection_, options_.select_on))
    best_ = ModelSnapshot::capture(params_, options_.batch_norms);
  update(stopping_, options_.early_stopping.monitor);
}

void Trainer::report(const EpochRecord& record, ProgressBar& bar, models::JsonLinesLog* log) {
  const std::string m = options_.metric == Metric::Accuracy ? "acc" : "f1";
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
  const bool last = epoch_ == options_.epochs || stopping_.should_stop();
  if (!options_.checkpoint_path.empty() && (epoch_ % options_.checkpoint_every == 0 || last))
    save_checkpoint(options_.checkpoint_path);
  if (bar.enabled()) {
    char status[128];
    std::snprintf(status, sizeof status, "loss %.4f val_%s %.4f", record.loss, m.c_str(),
                  record.val_metric);
    bar.update(record.epoch, status);
  }
  if (options_.on_epoch) options_.on_epoch(record);
}

FitResult Trainer::fit() {
  if (options_.resume && !options_.checkpoint_path.empty() &&
      std::filesystem::exists(options_.checkpoint_path))
    load_checkpoint(options_.checkpoint_path);
  std::optional<models::JsonLinesLog> log;
  if (!options_.log_path.empty())
    log.emplace(options_.log_path, epoch_ > 0 ? models::JsonLinesLog::Mode::Append
                                              : models::JsonLinesLog::Mode::Truncate);
  ProgressBar bar(options_.epochs, std::cerr,
                  options_.progress && ProgressBar::stderr_is_terminal());
  while (epoch_ < options_.epochs && !stopping_.should_stop()) {
    history_.push_back(run_epoch());
    track(history_.back());
    report(history_.back(), bar, log ? &*log : nullptr);
  }
  bar.finish();
  if (options_.restore_best && !best_.empty()) best_.restore(params_, options_.batch_norms);
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
