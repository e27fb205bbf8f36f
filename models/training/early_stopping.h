// SPDX-License-Identifier: Apache-2.0
// EarlyStopping: tracks the best value of a monitored quantity (validation loss: lower is better;
// validation metric: higher is better) and counts epochs without improvement, as PyTorch
// Lightning's EarlyStopping does: with patience p, training stops after p consecutive epochs that
// fail to beat the best by more than min_delta. With patience 0 it never stops, which makes it the
// model-selection tracker as well ("keep the epoch with the best validation accuracy").
#pragma once

#include "core/types.h"
#include "models/training/options.h"

namespace moegnn::training {

class EarlyStopping {
 public:
  enum class Mode { Min, Max };

  // Throws InvalidArgument for patience < 0 or a negative or non-finite min_delta.
  explicit EarlyStopping(Mode mode, Index patience = 0, double min_delta = 0.0);
  // The tracker for `monitor` (ValLoss: Min, ValMetric: Max).
  static EarlyStopping for_monitor(Monitor monitor, Index patience = 0, double min_delta = 0.0);

  // Records the value of `epoch`; returns true when it is a new best (the first finite value
  // always is). NaN never improves. Resets the bad-epoch count on improvement, else increments it.
  bool update(Index epoch, double value);
  // patience > 0 and the last `patience` updates brought no improvement.
  bool should_stop() const { return patience_ > 0 && bad_epochs_ >= patience_; }

  bool has_best() const { return best_epoch_ >= 0; }
  Index best_epoch() const { return best_epoch_; }  // -1 before the first finite value
  double best_value() const { return best_value_; }
  Index bad_epochs() const { return bad_epochs_; }
  Index patience() const { return patience_; }

  // The mutable part, for checkpoints.
  struct State {
    Index best_epoch = -1;
    double best_value = 0.0;
    Index bad_epochs = 0;
  };
  State state() const { return {best_epoch_, best_value_, bad_epochs_}; }
  // Throws InvalidArgument for bad_epochs < 0 or best_epoch < -1.
  void load_state(const State& state);

 private:
  Mode mode_;
  Index patience_;
  double min_delta_;
  Index best_epoch_ = -1;
  double best_value_ = 0.0;
  Index bad_epochs_ = 0;
};

}  // namespace moegnn::training
