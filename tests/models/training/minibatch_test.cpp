// SPDX-License-Identifier: Apache-2.0
// Neighbour-sampled mini-batch training through the Trainer: the block plumbing reproduces
// full-graph training when nothing is sampled away, sampled training learns a CSBM, evaluation
// works on the full graph and on sampled blocks, and a resumed sampled run is bit-identical.
#include <cmath>

#include <gtest/gtest.h>

#include "core/error.h"
#include "models/training/fit.h"
#include "models/training/trainer.h"
#include "tests/models/training/training_fixtures.h"
#include "tests/support/gradcheck.h"

namespace moegnn::training {
namespace {

struct SageSetup {
  datasets::NodeDataset data = test::small_csbm();
  Rng init;
  test::BlockSage model;
  explicit SageSetup(float dropout = 0.5f, std::uint64_t seed = 2)
      : init(seed),
        model(8, 16, 3, dropout, init) {}
};

TEST(MiniBatch, MatchesFullBatchWhenEveryNeighbourIsKept) {
  // One batch holding every training node, all neighbours, no dropout: the same loss and update
  // as full-graph training (up to summation order).
  SageSetup full(0.0f), sampled(0.0f);
  const TrainOptions options{.epochs = 1, .lr = 0.01f, .evaluate_train = false, .progress = false};
  const graph::Csr& g = full.data.graph;
  const FitResult a = fit_full_batch(
      full.model,
      [&](Tape& tape, Rng& rng) {
        return full.model.forward(tape, g, g, tape.constant(full.data.features), rng);
      },
      test::split_of(full.data), options);
  const FitResult b = fit_mini_batch(sampled.model, sampled.model.block_fn(), g,
                                     sampled.data.features, test::split_of(sampled.data), options,
                                     {.fanouts = {-1, -1}, .batch_size = 100000, .shuffle = false});
  EXPECT_NEAR(a.history[0].loss, b.history[0].loss, 1e-5);
  EXPECT_NEAR(a.history[0].val_loss, b.history[0].val_loss, 1e-5);
  const auto pa = full.model.parameters();
  const auto pb = sampled.model.parameters();
  for (std::size_t i = 0; i < pa.size(); ++i)
    EXPECT_TRUE(support::all_close(pa[i]->value, pb[i]->value, 1e-5f)) << pa[i]->name;
}

TEST(MiniBatch, SampledTrainingBeatsChance) {
  for (const EvalMode mode : {EvalMode::FullGraph, EvalMode::Sampled}) {
    SageSetup s;
    const FitResult r = fit_mini_batch(
        s.model, s.model.block_fn(), s.data.graph, s.data.features, test::split_of(s.data),
        {.epochs = 15, .lr = 0.01f, .seed = 4, .progress = false},
        {.fanouts = {5, 5}, .batch_size = 64, .eval_mode = mode, .eval_batch_size = 50});
    EXPECT_LT(r.history.back().loss, 0.7 * r.history.front().loss);
    EXPECT_GT(r.best.test_metric, 1.0 / 3.0 + 0.3) << "eval mode " << static_cast<int>(mode);
    EXPECT_GT(r.best.train_metric, 1.0 / 3.0 + 0.3);
  }
}

TEST(MiniBatch, ResumedRunIsBitIdentical) {
  test::TempDir dir;
  const TrainOptions base{.epochs = 6, .lr = 0.01f, .seed = 9, .progress = false};
  const SamplingOptions sampling{
      .fanouts = {4, 3}, .batch_size = 100, .eval_mode = EvalMode::Sampled};
  SageSetup straight;
  const FitResult expected =
      fit_mini_batch(straight.model, straight.model.block_fn(), straight.data.graph,
                     straight.data.features, test::split_of(straight.data), base, sampling);
  TrainOptions options = base;
  options.checkpoint_path = dir / "ckpt.safetensors";
  options.checkpoint_every = 3;
  options.resume = true;
  TrainOptions crashing = options;
  crashing.on_epoch = [](const EpochRecord& r) {
    if (r.epoch == 4) throw std::runtime_error("simulated crash");
  };
  SageSetup interrupted;
  EXPECT_THROW(fit_mini_batch(interrupted.model, interrupted.model.block_fn(),
                              interrupted.data.graph, interrupted.data.features,
                              test::split_of(interrupted.data), crashing, sampling),
               std::runtime_error);
  SageSetup resumed(0.5f, /*seed=*/77);  // epoch 3's checkpoint: epoch 4 runs again
  const FitResult result =
      fit_mini_batch(resumed.model, resumed.model.block_fn(), resumed.data.graph,
                     resumed.data.features, test::split_of(resumed.data), options, sampling);
  EXPECT_TRUE(test::bitwise_equal(resumed.model.parameters(), straight.model.parameters()));
  ASSERT_EQ(result.history.size(), expected.history.size());
  for (std::size_t e = 0; e < result.history.size(); ++e) {
    EXPECT_EQ(result.history[e].loss, expected.history[e].loss);
    EXPECT_EQ(result.history[e].test_metric, expected.history[e].test_metric);
  }
}

TEST(MiniBatch, RejectsBadInput) {
  SageSetup s;
  const LabeledSplit split = test::split_of(s.data);
  const BlockForwardFn wrong_rows = [&](Tape&, const std::vector<graph::Block>&, Var x, Rng&) {
    return x;
  };  // one row per source, not per seed
  EXPECT_THROW(fit_mini_batch(s.model, wrong_rows, s.data.graph, s.data.features, split,
                              {.epochs = 1, .progress = false}, {.fanouts = {2, 2}}),
               InvalidArgument);
  EXPECT_THROW(Trainer(s.model, s.model.block_fn(), s.data.graph, Tensor::zeros(3, 8), split, {},
                       {.fanouts = {2, 2}}),
               InvalidArgument);
  EXPECT_THROW(Trainer(s.model, s.model.block_fn(), s.data.graph, s.data.features, split, {},
                       {.fanouts = {}}),
               InvalidArgument);
  EXPECT_THROW(Trainer(s.model, s.model.block_fn(), s.data.graph, s.data.features, split, {},
                       {.fanouts = {2, 2}, .batch_size = 0}),
               InvalidArgument);
}

}  // namespace
}  // namespace moegnn::training
