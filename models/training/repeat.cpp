// SPDX-License-Identifier: Apache-2.0
// Repeated runs and their summary statistics.
#include "models/training/repeat.h"

#include <cmath>

#include <fmt/format.h>

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
  return fmt::format("{:.{}f} ± {:.{}f}", value.mean * scale, precision, value.std * scale,
                     precision);
}

MeanStd mean_std_finite(std::span<const double> values) {
  std::vector<double> finite;
  for (const double v : values)
    if (std::isfinite(v)) finite.push_back(v);
  if (finite.empty()) return {std::nan(""), std::nan(""), 0};
  return mean_std(finite);
}

RepeatResult summarize_runs(std::vector<FitResult> runs) {
  MOEGNN_CHECK(!runs.empty(), "runs is empty vs at least one");
  RepeatResult out;
  out.runs = std::move(runs);
  std::vector<double> val, test, train, epoch, seconds;
  std::map<std::string, std::vector<double>> extras;
  for (const FitResult& result : out.runs) {
    val.push_back(result.best.val_metric);
    test.push_back(result.best.test_metric);
    train.push_back(result.best.train_metric);
    epoch.push_back(static_cast<double>(result.best_epoch));
    seconds.push_back(result.mean_epoch_seconds);
    for (const auto& [key, value] : result.extras) extras[key].push_back(value);
  }
  out.val_metric = mean_std(val);
  out.test_metric = mean_std(test);
  out.train_metric = mean_std_finite(train);
  out.best_epoch = mean_std(epoch);
  out.epoch_seconds = mean_std(seconds);
  for (const auto& [key, values] : extras) out.extras[key] = mean_std_finite(values);
  return out;
}

RepeatResult repeat_runs(Index runs, const std::function<FitResult(Index run)>& run) {
  MOEGNN_CHECK(runs >= 1, "runs is ", runs, " vs >= 1");
  std::vector<FitResult> results;
  for (Index r = 0; r < runs; ++r) results.push_back(run(r));
  return summarize_runs(std::move(results));
}

std::filesystem::path run_path(const std::filesystem::path& path, Index run) {
  if (path.empty() || run == 0) return path;
  std::filesystem::path out = path;
  out.replace_filename(path.stem().string() + ".run" + std::to_string(run) +
                       path.extension().string());
  return out;
}

}  // namespace moegnn::training
