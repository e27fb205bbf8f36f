// SPDX-License-Identifier: Apache-2.0
// Mean ± std over repeated runs (models/training/repeat.h).
#include <cmath>

#include <gtest/gtest.h>

#include "core/error.h"
#include "models/training/repeat.h"

namespace moegnn::training {
namespace {

TEST(Repeat, MeanAndPopulationStd) {
  const std::vector<double> values{0.80, 0.82, 0.84, 0.86};
  const MeanStd s = mean_std(values);
  EXPECT_NEAR(s.mean, 0.83, 1e-15);
  // np.std (ddof = 0): sqrt(((-3)^2 + (-1)^2 + 1^2 + 3^2) / 4) * 0.01 = sqrt(5) * 0.01.
  EXPECT_NEAR(s.std, std::sqrt(5.0) * 0.01, 1e-15);
  EXPECT_EQ(s.count, 4);
  EXPECT_EQ(format_mean_std(s), "83.00 ± 2.24");
  EXPECT_EQ(mean_std(std::vector<double>{0.5}).std, 0.0);
  EXPECT_THROW(mean_std(std::vector<double>{}), InvalidArgument);
}

TEST(Repeat, SummarisesTheSelectedEpochOfEachRun) {
  const RepeatResult r = repeat_runs(3, [](Index run) {
    FitResult f;
    f.best_epoch = 10 + run;
    f.best.val_metric = 0.5 + 0.1 * static_cast<double>(run);
    f.best.test_metric = 0.4 + 0.2 * static_cast<double>(run);
    f.mean_epoch_seconds = 1.0;
    return f;
  });
  ASSERT_EQ(r.runs.size(), 3u);
  EXPECT_NEAR(r.val_metric.mean, 0.6, 1e-12);
  EXPECT_NEAR(r.test_metric.mean, 0.6, 1e-12);
  EXPECT_NEAR(r.test_metric.std, 0.2 * std::sqrt(2.0 / 3.0), 1e-12);
  EXPECT_DOUBLE_EQ(r.best_epoch.mean, 11.0);
  EXPECT_DOUBLE_EQ(r.epoch_seconds.std, 0.0);
  EXPECT_THROW(repeat_runs(0, [](Index) { return FitResult{}; }), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::training
