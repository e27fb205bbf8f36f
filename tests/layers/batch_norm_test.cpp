// SPDX-License-Identifier: Apache-2.0
// BatchNorm layer: hand-computed training and evaluation outputs, running statistics, gradients
// and bad input.
#include "layers/batch_norm.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "tests/layers/parameter_gradcheck.h"
#include "tests/support/gradcheck.h"

namespace moegnn::layers {
namespace {

TEST(BatchNorm, TrainingNormalisesWithBatchStatistics) {
  BatchNorm bn({.num_features = 2});
  bn.parameters()[0]->value = Tensor::from_rows({{2, 3}});     // gamma
  bn.parameters()[1]->value = Tensor::from_rows({{0.5f, -1}});  // beta
  Tape tape;
  // Column means 2 and 4, biased variances 1 and 4: both columns normalise to -1, +1.
  const Var y = bn.forward(tape, tape.constant(Tensor::from_rows({{1, 2}, {3, 6}})));
  const float s0 = 1.0f / std::sqrt(1.0f + 1e-5f);
  const float s1 = 2.0f / std::sqrt(4.0f + 1e-5f);
  EXPECT_TRUE(support::all_close(
      y.value(), Tensor::from_rows({{-2 * s0 + 0.5f, -3 * s1 - 1}, {2 * s0 + 0.5f, 3 * s1 - 1}})));
  // Running stats: 0.9 · (0, 1) + 0.1 · (mean, unbiased variance = 2, 8).
  EXPECT_TRUE(support::all_close(bn.stats().running_mean, Tensor::from_rows({{0.2f, 0.4f}})));
  EXPECT_TRUE(support::all_close(bn.stats().running_var, Tensor::from_rows({{1.1f, 1.7f}})));
}

TEST(BatchNorm, EvaluationUsesRunningStatistics) {
  BatchNorm bn({.num_features = 2});
  bn.stats().running_mean = Tensor::from_rows({{1, -1}});
  bn.stats().running_var = Tensor::from_rows({{4, 0.25f}});
  bn.eval();
  Tape tape(Tape::Mode::Inference);
  const Var y = bn.forward(tape, tape.constant(Tensor::from_rows({{3, 0}})));
  EXPECT_TRUE(support::all_close(
      y.value(), Tensor::from_rows({{2.0f / std::sqrt(4 + 1e-5f), 1.0f / std::sqrt(0.25f + 1e-5f)}}),
      1e-5f, 1e-4f));
  EXPECT_TRUE(support::all_close(bn.stats().running_mean, Tensor::from_rows({{1, -1}})));
}

TEST(BatchNorm, GradientsMatchFiniteDifferences) {
  BatchNorm bn({.num_features = 3});
  bn.parameters()[0]->value = support::random_tensor(1, 3, 1, 0.5f, 1.5f);
  bn.parameters()[1]->value = support::random_tensor(1, 3, 2);
  Parameter x(support::random_tensor(5, 3, 3, -2.0f, 2.0f), "x");
  std::vector<Parameter*> params = bn.parameters();
  params.push_back(&x);
  EXPECT_TRUE(support::parameter_gradients_match(
      params, [&](Tape& tape) { return bn.forward(tape, tape.param(x)); }, 1e-2f, 3e-3f, 3e-2f));
}

TEST(BatchNorm, ParametersAndBadInput) {
  BatchNorm bn({.num_features = 4});
  const auto params = bn.parameters();
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0]->name, "weight");
  EXPECT_EQ(params[1]->name, "bias");
  EXPECT_TRUE(support::all_close(params[0]->value, Tensor::ones(1, 4)));
  EXPECT_TRUE(support::all_close(params[1]->value, Tensor::zeros(1, 4)));
  EXPECT_THROW(BatchNorm({.num_features = 0}), InvalidArgument);
  EXPECT_THROW(BatchNorm({.num_features = 2, .momentum = 1.5f}), InvalidArgument);
  EXPECT_THROW(BatchNorm({.num_features = 2, .eps = 0.0f}), InvalidArgument);
  Tape tape;
  try {
    bn.forward(tape, tape.constant(Tensor::zeros(3, 2)));
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("BatchNorm::forward"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace moegnn::layers
