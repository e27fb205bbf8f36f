// SPDX-License-Identifier: Apache-2.0
// MLP and activations: hand-computed stack, every activation and both norms against naive
// references, parameter layout, gradients (with batch norm and dropout) and bad input.
#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "core/error.h"
#include "layers/mlp.h"
#include "tests/layers/conv_fixtures.h"
#include "tests/layers/parameter_gradcheck.h"
#include "tests/support/gradcheck.h"

namespace moegnn::layers {
namespace {

float reference_activation(float x, Activation act) {
  switch (act) {
  case Activation::Identity:
    return x;
  case Activation::Relu:
    return std::max(x, 0.0f);
  case Activation::Elu:
    return x > 0.0f ? x : std::expm1(x);
  case Activation::Gelu:
    return 0.5f * x * (1.0f + std::erf(x / std::sqrt(2.0f)));
  case Activation::LeakyRelu:
    return x > 0.0f ? x : 0.01f * x;
  case Activation::Tanh:
    return std::tanh(x);
  }
  return 0.0f;
}

TEST(MLP, MatchesHandComputedStack) {
  Rng rng(1);
  MLP mlp({.channel_list = {2, 2, 1}}, rng);
  mlp.lins()[0].weight().value = Tensor::from_rows({{1, -1}, {2, 0}});
  mlp.lins()[0].bias().value = Tensor::from_rows({{0, 1}});
  mlp.lins()[1].weight().value = Tensor::from_rows({{1}, {3}});
  mlp.lins()[1].bias().value = Tensor::from_rows({{-1}});
  Tape tape;
  const Var y = mlp.forward(tape, tape.constant(Tensor::from_rows({{1, 2}, {-1, 1}})));
  // Row 0: x·W0 + b0 = (5, 0) -> ReLU (5, 0) -> 5 - 1 = 4.
  // Row 1: x·W0 + b0 = (1, 2) -> ReLU (1, 2) -> 1 + 6 - 1 = 6.
  EXPECT_TRUE(support::all_close(y.value(), Tensor::from_rows({{4}, {6}})));
}

TEST(MLP, BuildsChannelsFromLayerCount) {
  Rng rng(1);
  MLP three({.in_channels = 5, .hidden_channels = 7, .out_channels = 2, .num_layers = 3}, rng);
  EXPECT_EQ(three.channels(), (std::vector<Index>{5, 7, 7, 2}));
  MLP one({.in_channels = 5, .out_channels = 2, .num_layers = 1}, rng);
  EXPECT_EQ(one.channels(), (std::vector<Index>{5, 2}));
}

class MLPActivation : public ::testing::TestWithParam<Activation> {};

// plain_last = false: the single layer is activated, so out = act(x·W + b) elementwise.
TEST_P(MLPActivation, ActivatesEveryLayerWithoutPlainLast) {
  Rng rng(2);
  MLP mlp({.channel_list = {3, 4}, .act = GetParam(), .plain_last = false}, rng);
  mlp.lins()[0].bias().value = support::random_tensor(1, 4, 3);
  const Tensor x = support::random_tensor(5, 3, 4, -2.0f, 2.0f);
  Tape tape;
  const Var y = mlp.forward(tape, tape.constant(x));
  Matrix expected = test::plus_row(test::product(x.host(), mlp.lins()[0].weight().value.host()),
                                   mlp.lins()[0].bias().value);
  for (Index i = 0; i < expected.size(); ++i)
    expected.data()[i] = reference_activation(expected.data()[i], GetParam());
  EXPECT_TRUE(support::all_close(y.value(), Tensor::from(expected), 1e-5f, 1e-4f));
}

INSTANTIATE_TEST_SUITE_P(All, MLPActivation,
                         ::testing::Values(Activation::Identity, Activation::Relu, Activation::Elu,
                                           Activation::Gelu, Activation::LeakyRelu,
                                           Activation::Tanh),
                         [](const auto& info) {
                           std::string name(to_string(info.param));
                           name.erase(std::remove(name.begin(), name.end(), '_'), name.end());
                           return name;
                         });

TEST(MLP, ParsesActivationNames) {
  for (const char* name : {"identity", "relu", "elu", "gelu", "leaky_relu", "tanh"})
    EXPECT_EQ(to_string(parse_activation(name)), name);
  test::expect_error<InvalidArgument>([] { parse_activation("swish"); }, "parse_activation");
}

TEST(MLP, LayerNormHiddenLayerMatchesReference) {
  Rng rng(5);
  MLP mlp({.channel_list = {3, 4, 2}, .norm = MLPOptions::Norm::LayerNorm}, rng);
  const Tensor x = support::random_tensor(4, 3, 6);
  Tape tape;
  const Var y = mlp.forward(tape, tape.constant(x));
  Matrix h = test::product(x.host(), mlp.lins()[0].weight().value.host());  // bias starts at 0
  for (Index i = 0; i < h.rows(); ++i) {
    const float mean = h.row(i).mean();
    const float var = (h.row(i).array() - mean).square().mean();
    for (Index j = 0; j < h.cols(); ++j)
      h(i, j) = std::max((h(i, j) - mean) / std::sqrt(var + 1e-5f), 0.0f);  // gamma 1, beta 0
  }
  const Matrix expected = test::product(h, mlp.lins()[1].weight().value.host());
  EXPECT_TRUE(support::all_close(y.value(), Tensor::from(expected), 1e-5f, 1e-4f));
}

TEST(MLP, NamesParametersInLayerOrder) {
  Rng rng(1);
  MLP mlp({.channel_list = {3, 4, 2}, .norm = MLPOptions::Norm::BatchNorm}, rng);
  std::vector<std::string> names;
  for (const Parameter* p : mlp.parameters()) names.push_back(p->name);
  EXPECT_EQ(names, (std::vector<std::string>{"lin0.weight", "lin0.bias", "norm0.weight",
                                             "norm0.bias", "lin1.weight", "lin1.bias"}));
  EXPECT_EQ(mlp.num_parameters(), (3 * 4 + 4) + 8 + (4 * 2 + 2));
  MLP no_bias({.channel_list = {3, 2}, .bias = false}, rng);
  EXPECT_EQ(no_bias.parameters().size(), 1u);
}

TEST(MLP, DropoutOnlyInTraining) {
  Rng init(3);
  MLP mlp({.channel_list = {4, 8, 3}, .dropout = 0.5f}, init);
  const Tensor x = support::random_tensor(6, 4, 4);
  auto run = [&](bool training) {
    mlp.train(training);
    Rng rng(9);
    Tape tape;
    return mlp.forward(tape, tape.constant(x), rng).value().clone();
  };
  const Tensor eval = run(false);
  const Tensor trained = run(true);
  EXPECT_FALSE(support::all_close(trained, eval));
  EXPECT_TRUE(support::all_close(run(true), trained));  // the seed fixes the mask
  mlp.eval();
  Tape tape;
  EXPECT_TRUE(support::all_close(mlp.forward(tape, tape.constant(x)).value(), eval));
}

TEST(MLP, GradientsMatchFiniteDifferences) {
  for (const auto norm : {MLPOptions::Norm::BatchNorm, MLPOptions::Norm::LayerNorm}) {
    Rng init(4);
    MLP mlp({.channel_list = {3, 5, 2}, .norm = norm, .dropout = 0.25f, .act = Activation::Tanh},
            init);
    for (Parameter* p : mlp.parameters())
      if (p->name.ends_with("bias")) p->value = support::random_tensor(1, p->value.cols(), 7);
    Parameter x(support::random_tensor(8, 3, 8), "x");
    std::vector<Parameter*> params = mlp.parameters();
    params.push_back(&x);
    EXPECT_TRUE(support::parameter_gradients_match(
        params,
        [&](Tape& tape) {
          Rng dropout_rng(6);  // the same masks in every evaluation
          return mlp.forward(tape, tape.param(x), dropout_rng);
        },
        1e-2f, 3e-3f, 3e-2f))
        << "norm " << static_cast<int>(norm);
  }
}

TEST(MLP, RejectsBadOptionsAndInput) {
  Rng rng(1);
  EXPECT_THROW(MLP({.channel_list = {3}}, rng), InvalidArgument);
  EXPECT_THROW(MLP({.channel_list = {3, 0, 2}}, rng), InvalidArgument);
  EXPECT_THROW(MLP({.in_channels = 3, .out_channels = 2, .num_layers = 0}, rng), InvalidArgument);
  EXPECT_THROW(MLP({.channel_list = {3, 2}, .dropout = 1.0f}, rng), InvalidArgument);
  MLP mlp({.channel_list = {3, 4, 2}, .dropout = 0.5f}, rng);
  test::expect_error<InvalidArgument>(
      [&] {
        Tape tape;
        mlp.forward(tape, tape.constant(Tensor::zeros(2, 4)), rng);
      },
      "MLP::forward");
  test::expect_error<InvalidArgument>(  // dropout in training mode needs an Rng
      [&] {
        Tape tape;
        mlp.forward(tape, tape.constant(Tensor::zeros(2, 3)));
      },
      "MLP::forward");
}

}  // namespace
}  // namespace moegnn::layers
