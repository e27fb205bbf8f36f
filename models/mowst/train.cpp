// SPDX-License-Identifier: Apache-2.0
// train_mowst: the MowstTask run by the Trainer.
#include "models/mowst/train.h"

#include <chrono>

#include "models/mowst/task.h"
#include "models/training/trainer.h"

namespace moegnn::mowst {

const char* to_string(Phase phase) {
  switch (phase) {
  case Phase::PretrainWeak:
    return "pretrain_weak";
  case Phase::PretrainStrong:
    return "pretrain_strong";
  case Phase::WeakTurn:
    return "weak_turn";
  case Phase::StrongTurn:
    return "strong_turn";
  case Phase::Joint:
    return "joint";
  }
  return "?";
}

MowstFit train_mowst(Mowst& model, const MowstGraphs& graphs, const Tensor& x,
                     const training::LabeledSplit& split, Index num_classes,
                     const MowstTrainOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  auto task = std::make_unique<MowstTask>(model, graphs, x, split, num_classes, options);
  MowstTask& mowst = *task;
  training::TrainOptions t;
  t.epochs = mowst.max_epochs();
  t.lr = options.lr;
  t.weight_decay = options.weight_decay;
  t.seed = options.seed;
  t.evaluate_train = false;
  t.restore_best = false;  // the task keeps its own selection
  t.progress = options.progress;
  t.log_path = options.log_path;
  t.checkpoint_path = options.checkpoint_path;
  t.resume = options.resume;
  t.override_hyperparameters = options.override_hyperparameters;
  t.on_epoch = options.on_epoch;
  training::Trainer trainer(model, std::move(task), t);
  trainer.fit();
  model.eval();
  MowstFit fit = mowst.fit();
  fit.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return fit;
}

}  // namespace moegnn::mowst
