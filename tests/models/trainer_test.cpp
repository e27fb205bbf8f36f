// SPDX-License-Identifier: Apache-2.0
// Full-batch trainer bookkeeping and the accuracy metric.
#include "models/trainer.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/error.h"
#include "layers/linear.h"
#include "models/metrics.h"
#include "tests/support/gradcheck.h"

namespace moegnn::models {
namespace {

TEST(Accuracy, CountsMatchingRowsOnly) {
  const IndexArray32 predicted{0, 1, 2, 1};
  const IndexArray32 labels{0, 2, 2, 1};
  EXPECT_DOUBLE_EQ(accuracy(predicted, labels, IndexArray32{0, 1, 2, 3}), 0.75);
  EXPECT_DOUBLE_EQ(accuracy(predicted, labels, IndexArray32{1}), 0.0);
  EXPECT_DOUBLE_EQ(accuracy(predicted, labels, IndexArray32{}), 0.0);
  const Tensor logits = Tensor::from_rows({{3, 1}, {0, 2}, {5, 5}});
  EXPECT_DOUBLE_EQ(accuracy(logits, IndexArray32{0, 1, 1}, IndexArray32{0, 1, 2}), 2.0 / 3.0);
  EXPECT_THROW(accuracy(predicted, labels, IndexArray32{4}), InvalidArgument);
  EXPECT_THROW(accuracy(predicted, IndexArray32{0}, IndexArray32{0}), InvalidArgument);
}

// A linear classifier on separable points: every node's label is the sign of its first feature.
struct Problem {
  Tensor x = support::random_tensor(40, 2, 3);
  NodeSplit split;
  Problem() {
    std::vector<std::int32_t> labels;
    std::vector<std::int32_t> train, val, test;
    for (Index i = 0; i < 40; ++i) {
      labels.push_back(x.data()[2 * i] > 0 ? 1 : 0);
      (i % 4 == 0 ? val : i % 4 == 1 ? test : train).push_back(static_cast<std::int32_t>(i));
    }
    split = {IndexArray32(labels), IndexArray32(train), IndexArray32(val), IndexArray32(test)};
  }
};

TEST(TrainFullBatch, RecordsHistoryAndBestValidationEpoch) {
  Problem problem;
  Rng rng(1);
  layers::Linear model({.in_channels = 2, .out_channels = 2}, rng);
  Index calls = 0;
  const TrainResult result = train_full_batch(
      model, [&](Tape& tape, Rng&) { return model.forward(tape, tape.constant(problem.x)); },
      problem.split,
      {.epochs = 40, .lr = 0.05f, .weight_decay = 0.0f,
       .on_epoch = [&](Index, float) { ++calls; }});
  ASSERT_EQ(result.history.size(), 40u);
  EXPECT_EQ(calls, 40);
  double best = -1.0;
  for (const EpochStats& s : result.history) {
    EXPECT_GT(s.seconds, 0.0);
    best = std::max(best, s.val_accuracy);
  }
  EXPECT_DOUBLE_EQ(result.best_val_accuracy, best);
  const EpochStats& at_best = result.history[static_cast<std::size_t>(result.best_epoch - 1)];
  EXPECT_DOUBLE_EQ(at_best.val_accuracy, best);
  EXPECT_DOUBLE_EQ(result.test_accuracy, at_best.test_accuracy);
  for (std::size_t e = 0; e + 1 < static_cast<std::size_t>(result.best_epoch); ++e)
    EXPECT_LT(result.history[e].val_accuracy, best);  // first epoch that reaches the best
  EXPECT_LT(result.history.back().loss, result.history.front().loss);
  EXPECT_GE(result.history.back().train_accuracy, 0.9);
  EXPECT_TRUE(model.training());  // left in training mode
}

TEST(TrainFullBatch, RejectsBadOptions) {
  Problem problem;
  Rng rng(1);
  layers::Linear model({.in_channels = 2, .out_channels = 2}, rng);
  const ForwardFn forward = [&](Tape& tape, Rng&) {
    return model.forward(tape, tape.constant(problem.x));
  };
  EXPECT_THROW(train_full_batch(model, forward, problem.split, {.epochs = 0}), InvalidArgument);
  EXPECT_THROW(train_full_batch(model, forward, problem.split, {.lr = -1.0f}), InvalidArgument);
  NodeSplit no_train = problem.split;
  no_train.train = IndexArray32{};
  EXPECT_THROW(train_full_batch(model, forward, no_train, {}), InvalidArgument);
  NodeSplit bad_label = problem.split;
  bad_label.labels = IndexArray32(std::vector<std::int32_t>(40, 7));
  EXPECT_THROW(train_full_batch(model, forward, bad_label, {.epochs = 1}), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::models
