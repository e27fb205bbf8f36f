// SPDX-License-Identifier: Apache-2.0
// LayerNorm layer: hand-computed rows, parameters, gradients and bad input.
#include <cmath>

#include <gtest/gtest.h>

#include "core/error.h"
#include "layers/layer_norm.h"
#include "tests/layers/conv_fixtures.h"
#include "tests/layers/parameter_gradcheck.h"
#include "tests/support/gradcheck.h"

namespace moegnn::layers {
namespace {

TEST(LayerNorm, MatchesHandComputedRows) {
  LayerNorm norm({.num_features = 3, .eps = 1e-5f});
  norm.weight().value = Tensor::from_rows({{1, 2, 1}});
  norm.bias().value = Tensor::from_rows({{0, 0, 1}});
  Tape tape;
  const Var y = norm.forward(tape, tape.constant(Tensor::from_rows({{1, 2, 3}, {4, 4, 4}})));
  // Row 0: mean 2, biased variance 2/3, so x̂ = (-1, 0, 1) / sqrt(2/3 + eps). Row 1 is constant:
  // x̂ = 0 and the output is beta.
  const float s = 1.0f / std::sqrt(2.0f / 3.0f + 1e-5f);
  EXPECT_TRUE(support::all_close(y.value(), Tensor::from_rows({{-s, 0, s + 1}, {0, 0, 1}})));
}

TEST(LayerNorm, NamesParametersLikeTorch) {
  LayerNorm norm({.num_features = 4});
  const auto params = norm.parameters();
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0]->name, "weight");
  EXPECT_EQ(params[1]->name, "bias");
  EXPECT_TRUE(support::all_close(params[0]->value, Tensor::ones(1, 4)));
  EXPECT_TRUE(support::all_close(params[1]->value, Tensor::zeros(1, 4)));
}

TEST(LayerNorm, GradientsMatchFiniteDifferences) {
  LayerNorm norm({.num_features = 4});
  norm.weight().value = support::random_tensor(1, 4, 2, 0.5f, 1.5f);
  norm.bias().value = support::random_tensor(1, 4, 3);
  Parameter x(support::random_tensor(3, 4, 4, -2.0f, 2.0f), "x");
  std::vector<Parameter*> params = norm.parameters();
  params.push_back(&x);
  EXPECT_TRUE(support::parameter_gradients_match(
      params, [&](Tape& tape) { return norm.forward(tape, tape.param(x)); }, 1e-2f, 3e-3f, 3e-2f));
}

TEST(LayerNorm, RejectsBadInput) {
  EXPECT_THROW(LayerNorm({.num_features = 0}), InvalidArgument);
  EXPECT_THROW(LayerNorm({.num_features = 2, .eps = 0.0f}), InvalidArgument);
  LayerNorm norm({.num_features = 3});
  test::expect_error<InvalidArgument>(
      [&] {
        Tape tape;
        norm.forward(tape, tape.constant(Tensor::zeros(2, 2)));
      },
      "LayerNorm::forward");
}

}  // namespace
}  // namespace moegnn::layers
