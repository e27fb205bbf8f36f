// SPDX-License-Identifier: Apache-2.0
// Repeated runs: train several times (different seeds or splits) and report mean ± standard
// deviation, as papers report OGB and Planetoid results. The deviation is the population one
// (ddof = 0, numpy's np.std default), which is what PyG's and OGB's example scripts print; with n
// runs multiply by sqrt(n / (n - 1)) for the sample deviation.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
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

// Mean and population deviation of the finite values (NaN marks a run that has none, e.g. no test
// node routed to an expert); {NaN, NaN, 0} when none is finite.
MeanStd mean_std_finite(std::span<const double> values);

struct RepeatResult {
  std::vector<FitResult> runs;
  MeanStd val_metric;   // of each run's selected epoch
  MeanStd test_metric;  // of each run's selected epoch: the number to report
  MeanStd train_metric;
  MeanStd best_epoch;
  MeanStd epoch_seconds;  // mean training seconds per epoch
  std::map<std::string, MeanStd> extras;  // every FitResult::extras key, mean_std_finite
};

// The summary of finished runs (every app's mean ± std table comes from here). Throws
// InvalidArgument for no runs.
RepeatResult summarize_runs(std::vector<FitResult> runs);

// Calls run(r) for r = 0 .. runs - 1 (run r should seed its model, trainer and split from r) and
// summarises the selected epochs. Throws InvalidArgument for runs < 1; passes run's exceptions on.
RepeatResult repeat_runs(Index runs, const std::function<FitResult(Index run)>& run);

// The file of run r for a per-run output (checkpoint, log): run 0 keeps `path`, run r > 0 gets
// ".run<r>" before the extension ("ckpt.safetensors" -> "ckpt.run2.safetensors"). Empty stays empty.
std::filesystem::path run_path(const std::filesystem::path& path, Index run);

}  // namespace moegnn::training
