// SPDX-License-Identifier: Apache-2.0
// Repeated runs: train several times (different seeds or splits) and report mean ± standard
// deviation, as papers report OGB and Planetoid results. The deviation is the population one
// (ddof = 0, numpy's np.std default), which is what PyG's and OGB's example scripts print; with n
// runs multiply by sqrt(n / (n - 1)) for the sample deviation.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "models/training/history.h"

namespace moegnn::training {

struct MeanStd {
  double mean = 0.0;
  double std = 0.0;  // population standard deviation (ddof = 0)
  Index count = 0;
};

// Mean and population deviation of `values`. Throws InvalidArgument when empty.
MeanStd mean_std(std::span<const double> values);

// "mean ± std" with `precision` decimals after multiplying both by `scale` (100: percent).
std::string format_mean_std(const MeanStd& value, int precision = 2, double scale = 100.0);

struct RepeatResult {
  std::vector<FitResult> runs;
  MeanStd val_metric;   // of each run's selected epoch
  MeanStd test_metric;  // of each run's selected epoch: the number to report
  MeanStd best_epoch;
  MeanStd epoch_seconds;  // mean training seconds per epoch
};

// Calls run(r) for r = 0 .. runs - 1 (run r should seed its model, trainer and split from r) and
// summarises the selected epochs. Throws InvalidArgument for runs < 1; passes run's exceptions on.
RepeatResult repeat_runs(Index runs, const std::function<FitResult(Index run)>& run);

}  // namespace moegnn::training
