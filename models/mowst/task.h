// SPDX-License-Identifier: Apache-2.0
// MowstTask: Mowst's and Mowst*'s whole training procedure as a training::Task, so the Trainer runs
// it with its checkpoints, resume, JSON-lines log and progress bar. Each epoch is one epoch of the
// current stage: pretraining an expert alone (plain cross-entropy, early stopping and selection on
// validation loss, as the Trainer does), then either Mowst's rounds of alternating turns (weak
// expert + gate, then strong expert, each turn early-stopped on the validation accuracy expected
// under random routing and kept only when it beats the best so far) or Mowst*'s joint epochs (kept
// at the lowest validation loss). The stage, its counters, its optimizers and snapshots are the
// task's state and go into the trainer's checkpoint, so a resumed run ends bit-identical to an
// uninterrupted one. The task selects its model itself (trainer_selects() is false).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/optim/optimizer.h"
#include "core/tensor.h"
#include "models/mowst/mowst.h"
#include "models/mowst/train.h"
#include "models/training/early_stopping.h"
#include "models/training/model_state.h"
#include "models/training/node_task.h"
#include "models/training/task.h"

namespace moegnn::mowst {

class MowstTask final : public training::Task {
 public:
  // The references must outlive the task. Throws InvalidArgument for empty train or validation
  // sets, x's rows differing from the graphs' nodes, or labels out of range.
  MowstTask(Mowst& model, const MowstGraphs& graphs, const Tensor& x,
            const training::LabeledSplit& split, Index num_classes, const MowstTrainOptions& options);
  ~MowstTask() override;

  std::string metric_name() const override { return "acc"; }
  double train_epoch(Index epoch, Rng& rng, training::Stepper* stepper) override;
  training::Evaluation evaluate(Index epoch, Rng& rng, bool include_train) override;
  bool owns_optimizers() const override { return true; }
  double learning_rate() const override { return options_.lr; }
  bool finished() const override { return stage_ == Stage::Done; }
  bool trainer_selects() const override { return false; }
  void write_state(training::Checkpoint& checkpoint) const override;
  void read_state(const training::Checkpoint& checkpoint) override;

  // The curve so far, the rounds run and the selection score of the kept model.
  const MowstFit& fit() const { return fit_; }
  // An upper bound on the epochs the procedure can take (the trainer's epoch limit).
  Index max_epochs() const;

 private:
  enum class Stage { PretrainWeak, PretrainStrong, Alternating, Joint, Done };
  // One expert trained alone; rebuilt when the stage starts or a checkpoint is read.
  struct Pretraining {
    std::unique_ptr<training::NodeClassificationTask> task;
    std::unique_ptr<optim::Optimizer> optimizer;
    Rng rng{0};
    training::EarlyStopping selection =
        training::EarlyStopping::for_monitor(training::Monitor::ValLoss);
    training::EarlyStopping stopping =
        training::EarlyStopping::for_monitor(training::Monitor::ValLoss);
    training::ModelSnapshot best;
    Index epoch = 0;
  };
  // Values of the frozen side and the running predictions of the turn in progress; recomputed
  // from the model when a turn starts or a checkpoint is read (evaluation mode is deterministic).
  struct TurnCache {
    Tensor z1, c;
    IndexArray32 pred1, pred2;
    Tensor frozen_log_p;  // train rows × 1 of the frozen expert
    Tensor frozen_c;      // train rows × 1
  };

  models::NodeModel& pretrain_expert() const;
  void start_pretraining(std::uint64_t seed);
  double pretrain_epoch();
  void next_stage();
  void start_turn();
  void refresh_turn_cache();
  double turn_epoch(Rng& rng);
  void end_turn();
  double joint_epoch(Rng& rng);
  void record(Phase phase, Index round, double loss, double val, double val_loss, double mean_c);
  training::ModelSnapshot capture() const;
  void restore(const training::ModelSnapshot& snapshot) const;

  Mowst& model_;
  const MowstGraphs& graphs_;
  Tensor x_;
  const training::LabeledSplit& split_;
  MowstTrainOptions options_;
  Tensor train_onehot_;
  Tensor val_onehot_;
  Stage stage_ = Stage::PretrainWeak;
  MowstFit fit_{};
  Index step_ = 0;
  training::Evaluation last_{};
  // Pretraining.
  std::optional<Pretraining> pre_;
  // Mowst: rounds of turns.
  std::unique_ptr<optim::Optimizer> opt_weak_;    // weak expert + gate
  std::unique_ptr<optim::Optimizer> opt_strong_;  // strong expert
  bool rounds_started_ = false;
  Index round_ = 0;
  bool weak_turn_ = true;
  bool in_turn_ = false;
  Index turn_epoch_ = 0;
  double best_ = 0.0;    // the best expected validation accuracy so far
  double before_ = 0.0;  // best_ when the round started
  Index bad_rounds_ = 0;
  double turn_best_ = 0.0;
  Index bad_ = 0;
  training::ModelSnapshot turn_start_;
  training::ModelSnapshot turn_snapshot_;
  TurnCache cache_{};
  bool cache_valid_ = false;
  // Mowst*: joint epochs.
  std::unique_ptr<optim::Optimizer> opt_joint_;
  bool joint_started_ = false;
  Index joint_epoch_ = 0;
  double best_loss_ = 0.0;
  training::ModelSnapshot joint_best_;
};

}  // namespace moegnn::mowst
