// SPDX-License-Identifier: Apache-2.0
// OGB graph-property metrics on hand-computed examples: 'rocauc' averaged over the tasks with both
// classes, NaN labels ignored; 'rmse' per task over labelled entries, averaged.
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "core/error.h"
#include "models/training/metrics_ogb.h"

namespace moegnn::training {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

TEST(GraphMetrics, RocAucPerTaskByHand) {
  // Task 0: negatives score 0.1, 0.4; positives 0.35, 0.8. Pairs (pos > neg): 0.35>0.1, 0.8>0.1,
  // 0.8>0.4 -> 3 of 4 = 0.75. Task 1: row 2 unlabelled; positive 0.9 beats both negatives -> 1.
  // Task 2 has no positive and is skipped. Mean (0.75 + 1) / 2 = 0.875.
  const Tensor y = Tensor::from_rows({{0, 1, 0}, {0, 0, 0}, {1, kNaN, 0}, {1, 0, kNaN}});
  const Tensor s = Tensor::from_rows(
      {{0.1f, 0.9f, 0.3f}, {0.4f, 0.2f, 0.1f}, {0.35f, 0.5f, 0.2f}, {0.8f, 0.3f, 0.6f}});
  EXPECT_DOUBLE_EQ(rocauc_per_task(y, s), 0.875);
  // A tie counts one half: with 0.35 -> 0.4 the pairs give 1 + 0.5 + 1 + 1 = 3.5 of 4.
  const Tensor tied = Tensor::from_rows({{0.1f}, {0.4f}, {0.4f}, {0.8f}});
  const Tensor y0 = Tensor::from_rows({{0}, {0}, {1}, {1}});
  EXPECT_DOUBLE_EQ(rocauc_per_task(y0, tied), 0.875);
  EXPECT_THROW(rocauc_per_task(Tensor::from_rows({{0}, {0}}), Tensor::from_rows({{1}, {2}})),
               InvalidArgument);
}

TEST(GraphMetrics, RmsePerTaskByHand) {
  // Task 0: errors 0, 2, 0 -> sqrt(4 / 3); task 1: row 0 unlabelled, errors 0, 3 -> sqrt(9 / 2).
  const Tensor y = Tensor::from_rows({{1, kNaN}, {2, 4}, {3, 0}});
  const Tensor p = Tensor::from_rows({{1, 5}, {4, 4}, {3, 3}});
  EXPECT_NEAR(rmse_per_task(y, p), (std::sqrt(4.0 / 3) + std::sqrt(9.0 / 2)) / 2, 1e-12);
  EXPECT_THROW(rmse_per_task(Tensor::from_rows({{kNaN}}), Tensor::from_rows({{1}})),
               InvalidArgument);
  EXPECT_THROW(rmse_per_task(y, Tensor::from_rows({{1, 5}})), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::training
