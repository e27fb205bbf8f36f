// SPDX-License-Identifier: Apache-2.0
// Best-value tracking and patience counting for early stopping and model selection.
#include "models/training/early_stopping.h"

#include <cmath>

#include "core/error.h"

namespace moegnn::training {

EarlyStopping::EarlyStopping(Mode mode, Index patience, double min_delta)
    : mode_(mode),
      patience_(patience),
      min_delta_(min_delta) {
  MOEGNN_CHECK_AS(InvalidArgument, "EarlyStopping", patience >= 0, "patience is ", patience,
                  " vs >= 0 (0 never stops)");
  MOEGNN_CHECK_AS(InvalidArgument, "EarlyStopping", std::isfinite(min_delta) && min_delta >= 0.0,
                  "min_delta is ", min_delta, " vs a finite value >= 0");
}

EarlyStopping EarlyStopping::for_monitor(Monitor monitor, Index patience, double min_delta) {
  return EarlyStopping(monitor == Monitor::ValLoss ? Mode::Min : Mode::Max, patience, min_delta);
}

bool EarlyStopping::update(Index epoch, double value) {
  bool improved = false;
  if (!std::isnan(value)) {
    improved = best_epoch_ < 0 || (mode_ == Mode::Min ? value < best_value_ - min_delta_
                                                      : value > best_value_ + min_delta_);
  }
  if (improved) {
    best_epoch_ = epoch;
    best_value_ = value;
    bad_epochs_ = 0;
  } else {
    ++bad_epochs_;
  }
  return improved;
}

void EarlyStopping::load_state(const State& state) {
  MOEGNN_CHECK(state.bad_epochs >= 0 && state.best_epoch >= -1, "bad_epochs ", state.bad_epochs,
               " and best_epoch ", state.best_epoch, " vs >= 0 and >= -1");
  best_epoch_ = state.best_epoch;
  best_value_ = state.best_value;
  bad_epochs_ = state.bad_epochs;
}

}  // namespace moegnn::training
