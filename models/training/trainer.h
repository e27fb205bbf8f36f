// SPDX-License-Identifier: Apache-2.0
// Trainer: training with the bookkeeping a paper run needs, for any task (models/training/task.h).
// Each epoch runs the task's optimizer steps, scores the train / validation / test sets, keeps a
// copy of the model of the best validation epoch (restored at the end: model selection), stops
// early when the monitored validation value has not improved for `patience` epochs, and writes a
// JSON-lines log, a progress bar and safetensors checkpoints. A run resumed from its last
// checkpoint (options.resume) ends bit-identical to an uninterrupted one: the checkpoint holds the
// parameters and buffers, optimizer state, Rng state, epoch, history, trackers, the best model and
// the task's own state, and every random draw (dropout, batch order, sampling) comes from that
// state. Node classification has two shorthand constructors (full graph, sampled blocks).
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "core/optim/optimizer.h"
#include "core/optim/schedule.h"
#include "graph/csr.h"
#include "layers/module.h"
#include "models/training/checkpoint.h"
#include "models/training/early_stopping.h"
#include "models/training/feature_store.h"
#include "models/training/history.h"
#include "models/training/log.h"
#include "models/training/model_state.h"
#include "models/training/options.h"
#include "models/training/progress.h"
#include "models/training/task.h"

namespace moegnn::training {

class Trainer {
 public:
  // Trains `model` (which must outlive the trainer) on `task`. Throws InvalidArgument for epochs <
  // 1, lr <= 0, weight_decay < 0, checkpoint_every < 1, or bad early-stopping options.
  Trainer(layers::Module& model, std::unique_ptr<Task> task, TrainOptions options);
  // Node classification on the full graph: forward(tape, rng) returns logits for every node
  // (labels.size() rows). Throws as above, and InvalidArgument for an empty training set.
  Trainer(layers::Module& model, ForwardFn forward, LabeledSplit split, TrainOptions options);
  // Node classification on sampled mini-batches over `graph` (square, in-neighbour rows) with
  // input rows from `features` (num_nodes rows; in memory, or any FeatureStore). Throws as above,
  // and InvalidArgument for bad sampling options or sizes that disagree.
  Trainer(layers::Module& model, BlockForwardFn forward, graph::Csr graph, Tensor features,
          LabeledSplit split, TrainOptions options, SamplingOptions sampling);
  Trainer(layers::Module& model, BlockForwardFn forward, graph::Csr graph,
          std::shared_ptr<const FeatureStore> features, LabeledSplit split, TrainOptions options,
          SamplingOptions sampling);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // Runs epochs epoch() + 1 .. options.epochs (or until early stopping), after loading
  // options.checkpoint_path first when options.resume is set and the file exists. Throws what the
  // forward, the loss (e.g. a NaN loss), the optimizer or the file I/O (IoError) throw.
  FitResult fit();

  // The whole training state in one checkpoint (see the file comment). Throws IoError on failure.
  void save_checkpoint(const std::filesystem::path& path) const;
  // Restores a state saved by save_checkpoint() for the same model and options. Throws IoError
  // for an unreadable or corrupt file, InvalidArgument (changing nothing) when it belongs to
  // another model or optimizer.
  void load_checkpoint(const std::filesystem::path& path);

  Index epoch() const { return epoch_; }  // completed epochs
  const std::vector<EpochRecord>& history() const { return history_; }
  // The trainer's optimizer. Throws InvalidArgument when the task owns its optimizers.
  optim::Optimizer& optimizer();
  Task& task() { return *task_; }
  const Rng& rng() const { return rng_; }
  // The result fit() would return now (best epoch, early stop flag, timings).
  FitResult result() const;

 private:
  EpochRecord run_epoch();
  void evaluate(EpochRecord& record);
  void track(const EpochRecord& record);
  void report(const EpochRecord& record, ProgressBar& bar, JsonLinesLog* log);
  Checkpoint to_checkpoint() const;
  void from_checkpoint(const Checkpoint& checkpoint);

  layers::Module& model_;
  std::unique_ptr<Task> task_;
  TrainOptions options_;
  std::vector<Parameter*> params_;
  std::unique_ptr<optim::Optimizer> optimizer_;  // null when the task owns its optimizers
  std::unique_ptr<optim::LrSchedule> schedule_;
  Rng rng_;
  Index epoch_ = 0;
  std::vector<EpochRecord> history_;
  EarlyStopping selection_;  // model selection (never stops)
  EarlyStopping stopping_;   // early stopping
  ModelSnapshot best_;       // the model at selection_.best_epoch()
};

}  // namespace moegnn::training
