// SPDX-License-Identifier: Apache-2.0
// GINConv: hand-computed layer with fixed ε, a dense reference, the ready-MLP constructor,
// trained ε, blocks, gradients and bad input.
#include <algorithm>
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "core/error.h"
#include "layers/gin_conv.h"
#include "tests/layers/conv_fixtures.h"
#include "tests/layers/parameter_gradcheck.h"
#include "tests/support/gradcheck.h"

namespace moegnn::layers {
namespace {

// h_Θ = [1, 2, 1] with W0 = (1, -1), b0 = (0, 10), W1 = (2, 5)ᵀ, b1 = 1.
void set_hand_weights(MLP& nn) {
  nn.lins()[0].weight().value = Tensor::from_rows({{1, -1}});
  nn.lins()[0].bias().value = Tensor::from_rows({{0, 10}});
  nn.lins()[1].weight().value = Tensor::from_rows({{2}, {5}});
  nn.lins()[1].bias().value = Tensor::from_rows({{1}});
}

TEST(GINConv, MatchesHandComputedLayer) {
  for (const bool train_eps : {false, true}) {
    Rng rng(1);
    GINConv conv({.nn = {.channel_list = {1, 2, 1}}, .eps = 0.5f, .train_eps = train_eps}, rng);
    set_hand_weights(conv.nn());
    Tape tape;
    const Var y =
        conv.forward(tape, test::small_graph(), tape.constant(Tensor::from_rows({{1}, {2}, {4}})));
    // z = 1.5 x + Σ_j x_j = (1.5 + 6, 3 + 1, 6 + 0) = (7.5, 4, 6);
    // ReLU(z·W0 + b0) = (7.5, 2.5), (4, 6), (6, 4); then 2a + 5b + 1 = 28.5, 39, 33.
    EXPECT_TRUE(support::all_close(y.value(), Tensor::from_rows({{28.5f}, {39}, {33}})))
        << "train_eps " << train_eps;
  }
}

TEST(GINConv, MatchesDenseReference) {
  Rng rng(2);
  GINConv conv({.nn = {.channel_list = {3, 5, 4}}, .eps = -0.25f}, rng);
  const graph::Csr g = test::random_graph(7, 0.35, 3);
  const Tensor x = support::random_tensor(7, 3, 4);
  Tape tape;
  const Var y = conv.forward(tape, g, tape.constant(x));
  Matrix a = test::dense(g);
  for (Index i = 0; i < 7; ++i) a(i, i) += 0.75f;  // (1 + ε) on the diagonal
  MLP& nn = conv.nn();
  Matrix h =
      test::plus_row(test::product(test::product(a, x.host()), nn.lins()[0].weight().value.host()),
                     nn.lins()[0].bias().value);
  for (Index i = 0; i < h.size(); ++i) h.data()[i] = std::max(h.data()[i], 0.0f);
  const Matrix expected = test::plus_row(test::product(h, nn.lins()[1].weight().value.host()),
                                         nn.lins()[1].bias().value);
  EXPECT_TRUE(support::all_close(y.value(), Tensor::from(expected), 1e-5f, 1e-4f));
}

TEST(GINConv, RegistersItsMLPNamingParametersAndBuffers) {
  Rng rng(3);
  GINConv conv({.nn = {.channel_list = {4, 8, 2}, .norm = MLPOptions::Norm::BatchNorm},
                .train_eps = true},
               rng);
  EXPECT_EQ(conv.in_channels(), 4);
  EXPECT_EQ(conv.out_channels(), 2);
  std::vector<std::string> buffers;
  for (const layers::Buffer& b : conv.buffers()) buffers.push_back(b.name);
  EXPECT_EQ(buffers, (std::vector<std::string>{"nn.norm0.running_mean", "nn.norm0.running_var",
                                               "nn.norm0.num_batches_tracked"}));
  std::vector<std::string> names;
  for (const Parameter* p : conv.parameters()) names.push_back(p->name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"eps", "nn.lin0.weight", "nn.lin0.bias", "nn.norm0.weight",
                                      "nn.norm0.bias", "nn.lin1.weight", "nn.lin1.bias"}));
  conv.eval();
  EXPECT_FALSE(conv.nn().batch_norms()[0].training());
}

TEST(GINConv, BlockMatchesTheSquareGraphOnItsTargets) {
  Rng rng(2);
  GINConv conv({.nn = {.channel_list = {3, 4, 2}}, .eps = 0.3f}, rng);
  const Tensor x = support::random_tensor(3, 3, 3);
  Tape tape;
  const Tensor square = conv.forward(tape, test::small_graph(), tape.constant(x)).value();
  const Tensor block = conv.forward(tape, test::small_block(), tape.constant(x)).value();
  ASSERT_EQ(block.rows(), 2);
  EXPECT_TRUE(support::all_close(block, Tensor::from(square.host().topRows(2))));
}

TEST(GINConv, GradientsMatchFiniteDifferences) {
  for (const bool train_eps : {false, true}) {
    Rng rng(4);
    GINConv conv({.nn = {.channel_list = {3, 4, 2}, .dropout = 0.2f, .act = Activation::Tanh},
                  .eps = 0.1f,
                  .train_eps = train_eps},
                 rng);
    const graph::Csr g = test::random_graph(6, 0.4, 5);
    Parameter x(support::random_tensor(6, 3, 6), "x");
    std::vector<Parameter*> params = conv.parameters();
    params.push_back(&x);
    EXPECT_TRUE(support::parameter_gradients_match(
        params,
        [&](Tape& tape) {
          Rng dropout_rng(7);
          return conv.forward(tape, g, tape.param(x), dropout_rng);
        },
        1e-2f, 3e-3f, 3e-2f))
        << "train_eps " << train_eps;
  }
}

TEST(GINConv, RejectsBadOptionsAndInput) {
  Rng rng(1);
  EXPECT_THROW(GINConv({.nn = {.channel_list = {3}}}, rng), InvalidArgument);
  EXPECT_THROW(
      GINConv({.nn = {.channel_list = {3, 2}}, .eps = std::numeric_limits<float>::quiet_NaN()},
              rng),
      InvalidArgument);
  GINConv conv({.nn = {.channel_list = {2, 2}, .dropout = 0.5f}}, rng);
  const graph::Csr g = test::small_graph();
  test::expect_error<InvalidArgument>(
      [&] {
        Tape tape;
        conv.forward(tape, g, tape.constant(Tensor::zeros(3, 3)), rng);
      },
      "GINConv::forward");
  test::expect_error<InvalidArgument>(
      [&] {
        Tape tape;
        conv.forward(tape, g, tape.constant(Tensor::zeros(5, 2)), rng);
      },
      "GINConv::forward");
  test::expect_error<InvalidArgument>(  // the MLP's dropout needs an Rng in training mode
      [&] {
        Tape tape;
        conv.forward(tape, g, tape.constant(Tensor::zeros(3, 2)));
      },
      "MLP::forward");
}

}  // namespace
}  // namespace moegnn::layers
