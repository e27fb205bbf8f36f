// SPDX-License-Identifier: Apache-2.0
// Dropout (mask statistics, reproducibility, identity cases, backward through the same mask), batch
// norm (batch and running statistics as PyTorch defines them) and layer norm, with gradients.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/ops/nn.h"
#include "tests/core/ops/op_test_util.h"
#include "tests/support/gradcheck.h"

namespace moegnn {
namespace {

Tensor dropout_value(const Tensor& x, float p, std::uint64_t seed) {
  Tape tape(Tape::Mode::Inference);
  Rng rng(seed);
  return ops::dropout(tape, tape.constant(x), p, rng, true).value();
}

TEST(Dropout, DropsAboutPAndScalesTheRest) {
  const Tensor x = Tensor::ones(400, 250);
  const Tensor y = dropout_value(x, 0.3f, 1);
  Index dropped = 0;
  for (Index e = 0; e < y.size(); ++e) {
    if (y.data()[e] == 0.0f) {
      ++dropped;
    } else {
      ASSERT_FLOAT_EQ(y.data()[e], 1.0f / 0.7f) << "element " << e;
    }
  }
  // 100 000 Bernoulli(0.3) draws: the standard deviation of the fraction is 0.0014.
  EXPECT_NEAR(static_cast<double>(dropped) / static_cast<double>(y.size()), 0.3, 0.01);
}

TEST(Dropout, MaskFollowsTheCounterBasedDraw) {
  const Tensor x = support::random_tensor(7, 9, 2);
  Rng rng(5);
  const std::uint64_t key = Rng(5).split();  // the key dropout will draw from rng
  Tape tape(Tape::Mode::Inference);
  const Tensor y = ops::dropout(tape, tape.constant(x), 0.5f, rng, true).value();
  for (Index e = 0; e < x.size(); ++e) {
    const bool keep = Rng::to_unit(Rng::bits(key, static_cast<std::uint64_t>(e))) >= 0.5f;
    EXPECT_FLOAT_EQ(y.data()[e], keep ? x.data()[e] * 2.0f : 0.0f) << "element " << e;
  }
}

TEST(Dropout, SameSeedSameMaskAndFreshKeysDiffer) {
  const Tensor x = Tensor::ones(20, 30);
  EXPECT_TRUE(test::bitwise_equal(dropout_value(x, 0.5f, 3), dropout_value(x, 0.5f, 3)));
  Rng rng(3);
  Tape tape(Tape::Mode::Inference);
  const Var c = tape.constant(x);
  const Tensor first = ops::dropout(tape, c, 0.5f, rng, true).value();
  const Tensor second = ops::dropout(tape, c, 0.5f, rng, true).value();
  EXPECT_FALSE(test::bitwise_equal(first, second));  // each call splits a new key
}

TEST(Dropout, IdentityWhenEvaluatingOrPIsZero) {
  Tape tape;
  Rng rng(4);
  const Var x = tape.constant(support::random_tensor(3, 3, 4));
  EXPECT_EQ(ops::dropout(tape, x, 0.5f, rng, false).id(), x.id());
  EXPECT_EQ(ops::dropout(tape, x, 0.0f, rng, true).id(), x.id());
  EXPECT_EQ(rng.counter(), 0u);  // no draw was spent
}

TEST(Dropout, GradientUsesTheForwardMask) {
  EXPECT_TRUE(support::gradient_matches(
      [](Tape& t, const std::vector<Var>& v) {
        Rng rng(6);  // the same key on every evaluation, so the finite differences see one mask
        return ops::dropout(t, v[0], 0.4f, rng, true);
      },
      {support::random_tensor(5, 6, 5)}));
}

TEST(Dropout, RejectsPOutsideZeroToOne) {
  Tape tape;
  Rng rng;
  const Var x = tape.constant(Tensor::ones(2, 2));
  for (const float p : {-0.1f, 1.0f, 1.5f, NAN})
    EXPECT_TRUE(test::throws_naming<InvalidArgument>([&] { ops::dropout(tape, x, p, rng, true); },
                                                     "dropout"))
        << "p = " << p;
  EXPECT_TRUE(test::throws_naming<InvalidArgument>([&] { ops::dropout(tape, x, 1.0f, rng, false); },
                                                   "dropout"));
}

// Column statistics in double: mean and biased variance.
void column_stats(const Tensor& x, std::vector<double>& mean, std::vector<double>& var) {
  mean.assign(static_cast<std::size_t>(x.cols()), 0.0);
  var.assign(static_cast<std::size_t>(x.cols()), 0.0);
  for (Index j = 0; j < x.cols(); ++j) {
    for (Index i = 0; i < x.rows(); ++i) mean[static_cast<std::size_t>(j)] += test::at(x, i, j);
    mean[static_cast<std::size_t>(j)] /= static_cast<double>(x.rows());
    for (Index i = 0; i < x.rows(); ++i) {
      const double d = test::at(x, i, j) - mean[static_cast<std::size_t>(j)];
      var[static_cast<std::size_t>(j)] += d * d / static_cast<double>(x.rows());
    }
  }
}

TEST(BatchNorm, TrainingUsesBatchStatisticsAndUpdatesRunningOnes) {
  const Index m = 2500, n = 3;  // several row blocks in the column sums
  const Tensor x = support::random_tensor(m, n, 7, -2.0f, 3.0f);
  const Tensor gamma = Tensor::from_rows({{1.0f, 2.0f, -0.5f}});
  const Tensor beta = Tensor::from_rows({{0.0f, 1.0f, 0.25f}});
  ops::BatchNormStats stats;
  stats.running_mean = Tensor::from_rows({{0.5f, 0.0f, -1.0f}});
  stats.running_var = Tensor::from_rows({{1.0f, 2.0f, 0.5f}});
  Tape tape(Tape::Mode::Inference);
  const Tensor y = ops::batch_norm(tape, tape.constant(x), tape.constant(gamma),
                                   tape.constant(beta), stats, true, 0.1f, 1e-5f)
                       .value();
  std::vector<double> mean, var;
  column_stats(x, mean, var);
  const Tensor expected = test::make_tensor(m, n, [&](Index i, Index j) {
    const auto c = static_cast<std::size_t>(j);
    return static_cast<float>((test::at(x, i, j) - mean[c]) / std::sqrt(var[c] + 1e-5) *
                                  test::at(gamma, 0, j) +
                              test::at(beta, 0, j));
  });
  EXPECT_TRUE(support::all_close(y, expected, 1e-4f, 1e-4f));
  const double unbias = static_cast<double>(m) / static_cast<double>(m - 1);
  const Tensor expected_mean = test::make_tensor(1, n, [&](Index, Index j) {
    return static_cast<float>(0.9 *
                                  std::vector<double>{0.5, 0.0, -1.0}[static_cast<std::size_t>(j)] +
                              0.1 * mean[static_cast<std::size_t>(j)]);
  });
  const Tensor expected_var = test::make_tensor(1, n, [&](Index, Index j) {
    return static_cast<float>(0.9 *
                                  std::vector<double>{1.0, 2.0, 0.5}[static_cast<std::size_t>(j)] +
                              0.1 * var[static_cast<std::size_t>(j)] * unbias);
  });
  EXPECT_TRUE(support::all_close(stats.running_mean, expected_mean, 1e-5f, 1e-4f));
  EXPECT_TRUE(support::all_close(stats.running_var, expected_var, 1e-5f, 1e-4f));
  EXPECT_EQ(stats.num_batches, 1);
}

TEST(BatchNorm, EvaluationUsesRunningStatistics) {
  ops::BatchNormStats stats;
  stats.running_mean = Tensor::from_rows({{1.0f, -1.0f}});
  stats.running_var = Tensor::from_rows({{4.0f, 0.25f}});
  Tape tape(Tape::Mode::Inference);
  const Tensor y =
      ops::batch_norm(tape, tape.constant(Tensor::from_rows({{3.0f, 0.0f}})),
                      tape.constant(Tensor::from_rows({{1.0f, 2.0f}})),
                      tape.constant(Tensor::from_rows({{0.5f, 0.0f}})), stats, false, 0.1f, 0.0001f)
          .value();
  // (3 - 1)/√4.0001 + 0.5 and 2·(0 + 1)/√0.2501
  EXPECT_NEAR(y.data()[0], 2.0 / std::sqrt(4.0001) + 0.5, 1e-5);
  EXPECT_NEAR(y.data()[1], 2.0 / std::sqrt(0.2501), 1e-5);
  EXPECT_EQ(stats.num_batches, 0);  // evaluation leaves the statistics alone
}

TEST(BatchNorm, GradientsInTrainingAndEvaluation) {
  const std::vector<Tensor> inputs = {support::random_tensor(5, 3, 8),
                                      support::random_tensor(1, 3, 9, 0.5f, 1.5f),
                                      support::random_tensor(1, 3, 10)};
  for (const bool training : {true, false}) {
    EXPECT_TRUE(support::gradient_matches(
        [training](Tape& t, const std::vector<Var>& v) {
          ops::BatchNormStats stats;  // fresh on every evaluation
          stats.running_mean = Tensor::from_rows({{0.1f, -0.2f, 0.3f}});
          stats.running_var = Tensor::from_rows({{0.5f, 1.5f, 2.0f}});
          return ops::batch_norm(t, v[0], v[1], v[2], stats, training);
        },
        inputs))
        << (training ? "training" : "evaluation");
  }
}

TEST(BatchNorm, InitialisesEmptyRunningStatistics) {
  ops::BatchNormStats stats;
  Tape tape(Tape::Mode::Inference);
  const Var x = tape.constant(Tensor::from_rows({{1, 2}, {3, 4}}));
  ops::batch_norm(tape, x, tape.constant(Tensor::ones(1, 2)), tape.constant(Tensor::zeros(1, 2)),
                  stats, true, 1.0f);
  // momentum 1: the running statistics become the batch ones (mean 2, 3; unbiased var 2, 2).
  EXPECT_TRUE(support::all_close(stats.running_mean, Tensor::from_rows({{2, 3}})));
  EXPECT_TRUE(support::all_close(stats.running_var, Tensor::from_rows({{2, 2}})));
}

TEST(BatchNorm, RejectsBadArguments) {
  Tape tape;
  ops::BatchNormStats stats;
  const Var x = tape.constant(Tensor::zeros(4, 3));
  const Var gamma = tape.constant(Tensor::ones(1, 3));
  const Var beta = tape.constant(Tensor::zeros(1, 3));
  const Var one_row = tape.constant(Tensor::zeros(1, 3));
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] { ops::batch_norm(tape, one_row, gamma, beta, stats, true); }, "batch_norm"));
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] { ops::batch_norm(tape, x, tape.constant(Tensor::ones(1, 2)), beta, stats, true); },
      "batch_norm"));
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] { ops::batch_norm(tape, x, gamma, beta, stats, true, 1.5f); }, "batch_norm"));
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] { ops::batch_norm(tape, x, gamma, beta, stats, true, 0.1f, 0.0f); }, "batch_norm"));
  stats.running_mean = Tensor::zeros(1, 2);
  stats.running_var = Tensor::ones(1, 2);
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] { ops::batch_norm(tape, x, gamma, beta, stats, false); }, "batch_norm"));
}

TEST(LayerNorm, MatchesNaiveRowStatistics) {
  const Tensor x = support::random_tensor(6, 5, 11, -2.0f, 2.0f);
  const Tensor gamma = support::random_tensor(1, 5, 12);
  const Tensor beta = support::random_tensor(1, 5, 13);
  Tape tape(Tape::Mode::Inference);
  const Tensor y =
      ops::layer_norm(tape, tape.constant(x), tape.constant(gamma), tape.constant(beta)).value();
  const Tensor expected = test::make_tensor(6, 5, [&](Index i, Index j) {
    double mean = 0.0;
    double var = 0.0;
    for (Index k = 0; k < 5; ++k) mean += test::at(x, i, k) / 5.0;
    for (Index k = 0; k < 5; ++k)
      var += (test::at(x, i, k) - mean) * (test::at(x, i, k) - mean) / 5.0;
    return static_cast<float>((test::at(x, i, j) - mean) / std::sqrt(var + 1e-5) *
                                  test::at(gamma, 0, j) +
                              test::at(beta, 0, j));
  });
  EXPECT_TRUE(support::all_close(y, expected, 1e-5f, 1e-4f));
}

TEST(LayerNorm, Gradients) {
  EXPECT_TRUE(support::gradient_matches(
      [](Tape& t, const std::vector<Var>& v) { return ops::layer_norm(t, v[0], v[1], v[2]); },
      {support::random_tensor(4, 5, 14), support::random_tensor(1, 5, 15, 0.5f, 1.5f),
       support::random_tensor(1, 5, 16)}));
}

TEST(LayerNorm, RejectsBadArguments) {
  Tape tape;
  const Var x = tape.constant(Tensor::zeros(4, 3));
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] {
        ops::layer_norm(tape, x, tape.constant(Tensor::ones(3, 1)),
                        tape.constant(Tensor::zeros(1, 3)));
      },
      "layer_norm"));
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] {
        ops::layer_norm(tape, x, tape.constant(Tensor::ones(1, 3)),
                        tape.constant(Tensor::zeros(1, 3)), -1.0f);
      },
      "layer_norm"));
}

}  // namespace
}  // namespace moegnn
