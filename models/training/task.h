// SPDX-License-Identifier: Apache-2.0
// Task: what is learned and how it is scored, the one piece the Trainer needs beside the model
// (tiny-cuda-nn's "one trainer, any loss"). A task runs an epoch of optimizer steps over its
// batches and scores the model on its evaluation sets; the Trainer around it owns model selection,
// early stopping, checkpoints and resume, the JSON-lines log and the progress bar, for every task.
// Node classification is models/training/node_task.h; link prediction, ranking and graph
// classification are further tasks. A task whose procedure has stages of its own (Mowst's
// alternating turns) keeps them as state, saved with the trainer's checkpoint.
#pragma once

#include <string>

#include "core/rng.h"
#include "core/types.h"
#include "models/training/checkpoint.h"
#include "models/training/history.h"
#include "models/training/stepper.h"

namespace moegnn::training {

// Evaluation-mode loss and metric of each set; kNotComputed where a set is empty or skipped.
struct SetScores {
  double loss = kNotComputed;
  double metric = kNotComputed;
};
struct Evaluation {
  SetScores train;
  SetScores val;
  SetScores test;
};

class Task {
 public:
  virtual ~Task() = default;

  // The metric's short name in logs and tables ("acc", "f1", "auc", "hits@20").
  virtual std::string metric_name() const = 0;

  // Optimizer steps of epoch `epoch` (1-based) through `stepper` (the trainer's optimizer), or
  // through the task's own optimizers when owns_optimizers(). `rng` is the trainer's stream
  // (dropout, sampling), saved in checkpoints. Returns the mean training loss per row.
  virtual double train_epoch(Index epoch, Rng& rng, Stepper* stepper) = 0;

  // Scores after epoch `epoch`; `rng` is a stream of its own per epoch (sampled evaluation);
  // include_train: also score the training set. Leaves the model in training mode.
  virtual Evaluation evaluate(Index epoch, Rng& rng, bool include_train) = 0;

  // True when the task steps optimizers of its own; the trainer then builds none.
  virtual bool owns_optimizers() const { return false; }
  // The learning rate to log for the epoch when the task owns its optimizers.
  virtual double learning_rate() const { return kNotComputed; }
  // True once the task's own procedure has ended (the trainer stops after that epoch).
  virtual bool finished() const { return false; }
  // True when the trainer's model selection and early stopping apply (default); false when the
  // task selects its model itself (Mowst's turns restore their best state).
  virtual bool trainer_selects() const { return true; }

  // The task's own state for checkpoints, under "task." entries and "task" metadata. Reading
  // checks everything before it changes anything; throws InvalidArgument for a state written by
  // another task.
  virtual void write_state(Checkpoint& /*checkpoint*/) const {}
  virtual void read_state(const Checkpoint& /*checkpoint*/) {}
};

}  // namespace moegnn::training
