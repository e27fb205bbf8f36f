// SPDX-License-Identifier: Apache-2.0
// Best-value tracking and patience counting for early stopping and model selection.
#include "models/training/early_stopping.h"

#include <algorithm>
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
  const Mode mode = monitor == Monitor::ValLoss     ? Mode::Min
                    : monitor == Monitor::ValMetric ? Mode::Max
                                                    : Mode::Joint;
  return EarlyStopping(mode, patience, min_delta);
}

bool EarlyStopping::update(Index epoch, double value) {
  MOEGNN_CHECK(mode_ != Mode::Joint, "one value for a Joint tracker vs update(epoch, loss, metric)");
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

bool EarlyStopping::update(Index epoch, double loss, double metric) {
  MOEGNN_CHECK(mode_ == Mode::Joint, "a (loss, metric) pair for a Min/Max tracker vs update(epoch, value)");
  if (std::isnan(loss) || std::isnan(metric)) {
    ++bad_epochs_;
    return false;
  }
  const bool first = !seen_;
  const bool metric_ok = first || metric >= best_metric_;
  const bool loss_ok = first || loss <= best_value_;
  if (metric_ok || loss_ok) {
    bad_epochs_ = 0;
  } else {
    ++bad_epochs_;
  }
  if (first) {
    best_metric_ = metric;
    best_value_ = loss;
  } else {
    best_metric_ = std::max(best_metric_, metric);
    best_value_ = std::min(best_value_, loss);
  }
  seen_ = true;
  if (metric_ok && loss_ok) best_epoch_ = epoch;
  return metric_ok && loss_ok;
}

void EarlyStopping::load_state(const State& state) {
  MOEGNN_CHECK(state.bad_epochs >= 0 && state.best_epoch >= -1, "bad_epochs ", state.bad_epochs,
               " and best_epoch ", state.best_epoch, " vs >= 0 and >= -1");
  best_epoch_ = state.best_epoch;
  best_value_ = state.best_value;
  bad_epochs_ = state.bad_epochs;
  best_metric_ = state.best_metric;
  seen_ = state.seen;
}

}  // namespace moegnn::training
