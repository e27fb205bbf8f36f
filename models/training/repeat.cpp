// SPDX-License-Identifier: Apache-2.0
// Repeated runs and their summary statistics.
#include "models/training/repeat.h"

#include <cmath>
#include <cstdio>

#include "core/error.h"

namespace moegnn::training {

MeanStd mean_std(std::span<const double> values) {
  MOEGNN_CHECK(!values.empty(), "values is empty vs at least one");
  const auto n = static_cast<double>(values.size());
  double sum = 0.0;
  for (const double v : values) sum += v;
  const double mean = sum / n;
  double squares = 0.0;  // two passes: no cancellation for values far from zero
  for (const double v : values) squares += (v - mean) * (v - mean);
  return {mean, std::sqrt(squares / n), static_cast<Index>(values.size())};
}

std::string format_mean_std(const MeanStd& value, int precision, double scale) {
  char text[96];
  std::snprintf(text, sizeof text, "%.*f ± %.*f", precision, value.mean * scale, precision,
                value.std * scale);
  return text;
}

RepeatResult repeat_runs(Index runs, const std::function<FitResult(Index run)>& run) {
  MOEGNN_CHECK(runs >= 1, "runs is ", runs, " vs >= 1");
  RepeatResult out;
  std::vector<double> val, test, epoch, seconds;
  for (Index r = 0; r < runs; ++r) {
    out.runs.push_back(run(r));
    const FitResult& result = out.runs.back();
    val.push_back(result.best.val_metric);
    test.push_back(result.best.test_metric);
    epoch.push_back(static_cast<double>(result.best_epoch));
    seconds.push_back(result.mean_epoch_seconds);
  }
  out.val_metric = mean_std(val);
  out.test_metric = mean_std(test);
  out.best_epoch = mean_std(epoch);
  out.epoch_seconds = mean_std(seconds);
  return out;
}

}  // namespace moegnn::training
