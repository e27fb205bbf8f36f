// SPDX-License-Identifier: Apache-2.0
// EarlyStopping: tracks the best value of a monitored quantity (validation loss: lower is better;
// validation metric: higher is better) and counts epochs without improvement, as PyTorch
// Lightning's EarlyStopping does: with patience p, training stops after p consecutive epochs that
// fail to beat the best by more than min_delta. With patience 0 it never stops, which makes it the
// model-selection tracker as well ("keep the epoch with the best validation accuracy").
// Mode::Joint follows two quantities, a loss and a metric, by GAT's rule (Monitor::ValLossAndMetric):
// update(epoch, loss, metric) reports a new best when metric >= the best metric and loss <= the
// best loss (ties count), and resets the patience count when either holds.
#pragma once

#include "core/types.h"
#include "models/training/options.h"

namespace moegnn::training {

class EarlyStopping {
 public:
  enum class Mode { Min, Max, Joint };

  // Throws InvalidArgument for patience < 0 or a negative or non-finite min_delta.
  explicit EarlyStopping(Mode mode, Index patience = 0, double min_delta = 0.0);
  // The tracker for `monitor` (ValLoss: Min, ValMetric: Max, ValLossAndMetric: Joint).
  static EarlyStopping for_monitor(Monitor monitor, Index patience = 0, double min_delta = 0.0);

  // Records the value of `epoch`; returns true when it is a new best (the first finite value
  // always is). NaN never improves. Resets the bad-epoch count on improvement, else increments it.
  // Mode Min or Max only (InvalidArgument otherwise).
  bool update(Index epoch, double value);
  // Mode Joint only (InvalidArgument otherwise). NaN in either never improves. min_delta unused.
  bool update(Index epoch, double loss, double metric);
  // patience > 0 and the last `patience` updates brought no improvement.
  bool should_stop() const { return patience_ > 0 && bad_epochs_ >= patience_; }

  bool has_best() const { return best_epoch_ >= 0; }
  Index best_epoch() const { return best_epoch_; }  // -1 before the first finite value
  double best_value() const { return best_value_; }    // Joint: the lowest loss so far
  double best_metric() const { return best_metric_; }  // Joint: the highest metric so far
  Index bad_epochs() const { return bad_epochs_; }
  Index patience() const { return patience_; }

  // The mutable part, for checkpoints.
  struct State {
    Index best_epoch = -1;
    double best_value = 0.0;
    Index bad_epochs = 0;
    double best_metric = 0.0;  // Joint only
    bool seen = false;         // Joint: a finite pair has been recorded
  };
  State state() const { return {best_epoch_, best_value_, bad_epochs_, best_metric_, seen_}; }
  // Throws InvalidArgument for bad_epochs < 0 or best_epoch < -1.
  void load_state(const State& state);

 private:
  Mode mode_;
  Index patience_;
  double min_delta_;
  Index best_epoch_ = -1;
  double best_value_ = 0.0;
  Index bad_epochs_ = 0;
  double best_metric_ = 0.0;
  bool seen_ = false;
};

}  // namespace moegnn::training
