// SPDX-License-Identifier: Apache-2.0
// What a training run reports: one EpochRecord per epoch (training loss, evaluation-mode losses and
// metrics on the three node sets, learning rate, timings) and the FitResult of the whole run (the
// epoch picked on validation, whether early stopping ended it). NaN marks a value that was not
// computed (an empty node set, or train-set evaluation switched off).
#pragma once

#include <limits>
#include <map>
#include <string>
#include <vector>

#include "core/types.h"

namespace moegnn::training {

inline constexpr double kNotComputed = std::numeric_limits<double>::quiet_NaN();

struct EpochRecord {
  Index epoch = 0;    // 1-based
  double loss = 0.0;  // mean training loss of the epoch's steps (training mode, per row)
  double train_loss = kNotComputed;  // evaluation mode: mean cross-entropy over the set
  double val_loss = kNotComputed;
  double test_loss = kNotComputed;
  double train_metric = kNotComputed;  // TrainOptions::metric over the set
  double val_metric = kNotComputed;
  double test_metric = kNotComputed;
  double lr = 0.0;            // group 0's learning rate during the epoch
  double seconds = 0.0;       // the optimizer steps (sampling, forward, backward, update)
  double eval_seconds = 0.0;  // evaluation of the three sets
  // The same two spans in process CPU seconds (all threads; std::clock): under a loaded machine
  // the wall times mostly measure waiting, these the work.
  double cpu_seconds = 0.0;
  double eval_cpu_seconds = 0.0;
};

struct FitResult {
  std::vector<EpochRecord> history;  // every epoch run, including those before a resume
  Index best_epoch = -1;  // the selected epoch (best on validation; the last epoch if none was)
  EpochRecord best;       // history entry of best_epoch: best.test_metric is the reported number
  bool early_stopped = false;
  double mean_epoch_seconds = 0.0;  // mean of EpochRecord::seconds
  // Further numbers a method reports per run (Mowst: "fraction_weak", the share of test nodes
  // routed to the weak expert), summarised over runs by repeat_runs.
  std::map<std::string, double> extras{};
};

}  // namespace moegnn::training
