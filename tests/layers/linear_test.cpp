// SPDX-License-Identifier: Apache-2.0
// Linear: hand-computed forward, initialisation, parameters, gradients and bad input.
#include "layers/linear.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "layers/init.h"
#include "tests/layers/parameter_gradcheck.h"
#include "tests/support/gradcheck.h"

namespace moegnn::layers {
namespace {

TEST(Linear, MatchesHandComputedAffineMap) {
  Rng rng(1);
  Linear layer({.in_channels = 2, .out_channels = 3}, rng);
  layer.weight().value = Tensor::from_rows({{1, 0, -1}, {2, 1, 0}});
  layer.bias().value = Tensor::from_rows({{0.5f, -1, 2}});
  Tape tape;
  const Var y = layer.forward(tape, tape.constant(Tensor::from_rows({{1, 2}, {3, 4}})));
  // [1 2]·W = [5 2 -1], [3 4]·W = [11 4 -3], plus b.
  EXPECT_TRUE(support::all_close(y.value(), Tensor::from_rows({{5.5f, 1, 1}, {11.5f, 3, -1}})));
}

TEST(Linear, GlorotWeightZeroBiasAndNames) {
  Rng rng(7);
  Linear layer({.in_channels = 20, .out_channels = 30}, rng);
  const float bound = std::sqrt(6.0f / 50.0f);
  const Tensor& w = layer.weight().value;
  ASSERT_EQ(w.rows(), 20);
  ASSERT_EQ(w.cols(), 30);
  float lo = 1.0f;
  float hi = -1.0f;
  for (Index i = 0; i < w.size(); ++i) {
    lo = std::min(lo, w.data()[i]);
    hi = std::max(hi, w.data()[i]);
  }
  EXPECT_GE(lo, -bound);
  EXPECT_LE(hi, bound);
  EXPECT_LT(lo, -0.8f * bound);  // 600 uniform draws reach near both ends
  EXPECT_GT(hi, 0.8f * bound);
  EXPECT_TRUE(support::all_close(layer.bias().value, Tensor::zeros(1, 30)));
  const auto params = layer.parameters();
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0]->name, "weight");
  EXPECT_EQ(params[1]->name, "bias");
  EXPECT_EQ(layer.num_parameters(), 20 * 30 + 30);
}

TEST(Linear, SameSeedSameWeights) {
  Rng a(3);
  Rng b(3);
  Linear first({.in_channels = 4, .out_channels = 5}, a);
  Linear second({.in_channels = 4, .out_channels = 5}, b);
  EXPECT_TRUE(support::all_close(first.weight().value, second.weight().value, 0.0f, 0.0f));
}

TEST(Linear, WithoutBiasHasOnlyWeight) {
  Rng rng(1);
  Linear layer({.in_channels = 2, .out_channels = 2, .bias = false}, rng);
  layer.weight().value = Tensor::from_rows({{1, 2}, {3, 4}});
  ASSERT_EQ(layer.parameters().size(), 1u);
  Tape tape;
  const Var y = layer.forward(tape, tape.constant(Tensor::from_rows({{1, 1}})));
  EXPECT_TRUE(support::all_close(y.value(), Tensor::from_rows({{4, 6}})));
}

TEST(Linear, GradientsMatchFiniteDifferences) {
  Rng rng(5);
  Linear layer({.in_channels = 3, .out_channels = 4}, rng);
  layer.bias().value = support::random_tensor(1, 4, 9);
  Parameter x(support::random_tensor(5, 3, 11), "x");
  std::vector<Parameter*> params = layer.parameters();
  params.push_back(&x);
  EXPECT_TRUE(support::parameter_gradients_match(
      params, [&](Tape& tape) { return layer.forward(tape, tape.param(x)); }));
}

TEST(Linear, RejectsBadShapes) {
  Rng rng(1);
  EXPECT_THROW(Linear({.in_channels = 0, .out_channels = 2}, rng), InvalidArgument);
  Linear layer({.in_channels = 3, .out_channels = 2}, rng);
  Tape tape;
  try {
    layer.forward(tape, tape.constant(Tensor::zeros(4, 2)));
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("Linear::forward"), std::string::npos) << e.what();
  }
}

TEST(GlorotUniform, RejectsNonPositiveFans) {
  Rng rng(1);
  EXPECT_THROW(glorot_uniform(0, 3, rng), InvalidArgument);
  EXPECT_THROW(glorot_uniform(3, -1, rng), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::layers
