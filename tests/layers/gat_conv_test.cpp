// SPDX-License-Identifier: Apache-2.0
// GATConv: a hand-computed two-node softmax, multi-head concat/mean against a naive per-edge
// reference, self-loop preparation, attention dropout, blocks, gradients and bad input.
#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "core/error.h"
#include "layers/gat_conv.h"
#include "tests/layers/conv_fixtures.h"
#include "tests/layers/parameter_gradcheck.h"
#include "tests/support/gradcheck.h"

namespace moegnn::layers {
namespace {

// Naive GAT: per head, e_ij = leaky(a_dst·h_i + a_src·h_j), softmax over row i, Σ_j α_ij h_j.
Matrix reference_gat(GATConv& conv, const graph::Csr& g, const Matrix& x) {
  const GATConvOptions& o = conv.options();
  const Index heads = o.heads;
  const Index c = o.out_channels;
  const Matrix h = test::product(x, conv.weight().value.host());
  const float* a_src = conv.att_src().value.data();
  const float* a_dst = conv.att_dst().value.data();
  Matrix out = Matrix::Zero(g.num_rows(), heads * c);
  for (Index i = 0; i < g.num_rows(); ++i) {
    for (Index hd = 0; hd < heads; ++hd) {
      std::vector<double> e;
      for (const graph::NodeId j : g.neighbors(i)) {
        double s = 0.0;
        for (Index k = 0; k < c; ++k)
          s += a_dst[hd * c + k] * h(i, hd * c + k) + a_src[hd * c + k] * h(j, hd * c + k);
        e.push_back(s > 0.0 ? s : o.negative_slope * s);
      }
      double total = 0.0;
      for (const double v : e) total += std::exp(v);
      std::size_t n = 0;
      for (const graph::NodeId j : g.neighbors(i)) {
        const double alpha = std::exp(e[n++]) / total;
        for (Index k = 0; k < c; ++k)
          out(i, hd * c + k) += static_cast<float>(alpha * h(j, hd * c + k));
      }
    }
  }
  if (!o.concat) {
    Matrix mean = Matrix::Zero(out.rows(), c);
    for (Index hd = 0; hd < heads; ++hd) mean += out.middleCols(hd * c, c);
    out = mean / static_cast<float>(heads);
  }
  return o.bias ? test::plus_row(out, conv.bias().value) : out;
}

TEST(GATConv, MatchesHandComputedSoftmax) {
  Rng rng(1);
  GATConv conv({.in_channels = 1, .out_channels = 1}, rng);
  conv.weight().value = Tensor::from_rows({{1}});
  conv.att_src().value = Tensor::from_rows({{1}});
  conv.att_dst().value = Tensor::from_rows({{1}});
  // Rows: 0 {0, 1}, 1 {1}. x = (-1, 2), so e_00 = leaky(-2) = -0.4 and e_01 = leaky(1) = 1.
  const graph::Csr g(2, 2, graph::EdgeIds{0, 2, 3}, graph::NodeIds{0, 1, 1});
  Tape tape;
  const Var y = conv.forward(tape, g, tape.constant(Tensor::from_rows({{-1}, {2}})));
  const float a = std::exp(-0.4f);
  const float b = std::exp(1.0f);
  EXPECT_TRUE(support::all_close(y.value(), Tensor::from_rows({{(-a + 2 * b) / (a + b)}, {2}})));
}

class GATConvHeads : public ::testing::TestWithParam<bool> {};  // concat

TEST_P(GATConvHeads, MatchesNaiveReference) {
  Rng rng(3);
  GATConv conv({.in_channels = 4, .out_channels = 3, .heads = 2, .concat = GetParam()}, rng);
  conv.bias().value = support::random_tensor(1, conv.out_width(), 4);
  const graph::Csr g = conv.prepare(test::random_graph(8, 0.3, 5));
  const Tensor x = support::random_tensor(8, 4, 6, -2.0f, 2.0f);
  Tape tape;
  const Var y = conv.forward(tape, g, tape.constant(x));
  ASSERT_EQ(y.cols(), GetParam() ? 6 : 3);
  EXPECT_TRUE(
      support::all_close(y.value(), Tensor::from(reference_gat(conv, g, x.host())), 1e-5f, 1e-4f));
}

TEST_P(GATConvHeads, GradientsMatchFiniteDifferences) {
  Rng rng(7);
  GATConv conv(
      {.in_channels = 3, .out_channels = 2, .heads = 2, .concat = GetParam(), .dropout = 0.3f},
      rng);
  conv.bias().value = support::random_tensor(1, conv.out_width(), 8);
  const graph::Csr g = conv.prepare(test::random_graph(6, 0.4, 9));
  Parameter x(support::random_tensor(6, 3, 10), "x");
  std::vector<Parameter*> params = conv.parameters();
  params.push_back(&x);
  EXPECT_TRUE(support::parameter_gradients_match(
      params,
      [&](Tape& tape) {
        Rng dropout_rng(11);  // the same attention mask in every evaluation
        return conv.forward(tape, g, tape.param(x), dropout_rng);
      },
      1e-2f, 3e-3f, 3e-2f));
}

INSTANTIATE_TEST_SUITE_P(ConcatOrMean, GATConvHeads, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Concat" : "Mean"; });

TEST(GATConv, PrepareGivesEveryNodeOneSelfLoop) {
  Rng rng(1);
  GATConv conv({.in_channels = 2, .out_channels = 2}, rng);
  // Rows: 0 {0, 1} (already looped), 1 {0}, 2 {}.
  const graph::Csr raw(3, 3, graph::EdgeIds{0, 2, 3, 3}, graph::NodeIds{0, 1, 0});
  const graph::Csr g = conv.prepare(raw);
  EXPECT_EQ(g.num_edges(), 5);  // 3 - 1 old loop + 3 new loops
  for (Index i = 0; i < 3; ++i) {
    const auto row = g.neighbors(i);
    EXPECT_EQ(std::count(row.begin(), row.end(), static_cast<graph::NodeId>(i)), 1) << i;
  }
  GATConv plain({.in_channels = 2, .out_channels = 2, .add_self_loops = false}, rng);
  EXPECT_EQ(plain.prepare(raw).num_edges(), 3);
}

TEST(GATConv, AttentionDropoutOnlyInTraining) {
  Rng init(2);
  GATConv conv({.in_channels = 3, .out_channels = 4, .heads = 2, .dropout = 0.5f}, init);
  const graph::Csr g = conv.prepare(test::random_graph(10, 0.4, 3));
  const Tensor x = support::random_tensor(10, 3, 4);
  Tape tape;
  Rng rng(5);
  const Tensor trained = conv.forward(tape, g, tape.constant(x), rng).value();
  conv.eval();
  const Tensor eval = conv.forward(tape, g, tape.constant(x)).value();
  EXPECT_FALSE(support::all_close(trained, eval));
  EXPECT_TRUE(
      support::all_close(eval, Tensor::from(reference_gat(conv, g, x.host())), 1e-5f, 1e-4f));
}

TEST(GATConv, BlockMatchesTheSquareGraphOnItsTargets) {
  Rng rng(2);
  GATConv conv({.in_channels = 3, .out_channels = 2, .heads = 2}, rng);
  const Tensor x = support::random_tensor(3, 3, 3);
  Tape tape;
  const Tensor square = conv.forward(tape, test::small_graph(), tape.constant(x)).value();
  const Tensor block = conv.forward(tape, test::small_block(), tape.constant(x)).value();
  ASSERT_EQ(block.rows(), 2);
  EXPECT_TRUE(support::all_close(block, Tensor::from(square.host().topRows(2))));
}

TEST(GATConv, InitialisesAndNamesParametersAsPyG) {
  Rng rng(1);
  GATConv conv({.in_channels = 5, .out_channels = 3, .heads = 4, .concat = false}, rng);
  std::vector<std::string> names;
  for (const Parameter* p : conv.parameters()) names.push_back(p->name);
  EXPECT_EQ(names, (std::vector<std::string>{"lin.weight", "att_src", "att_dst", "bias"}));
  EXPECT_EQ(conv.weight().value.cols(), 12);
  EXPECT_EQ(conv.att_src().value.cols(), 12);
  EXPECT_EQ(conv.bias().value.cols(), 3);
  // Glorot bounds: sqrt(6 / (5 + 12)) for W, sqrt(6 / (4 + 3)) for the attention vectors.
  EXPECT_LE(conv.weight().value.host().cwiseAbs().maxCoeff(), std::sqrt(6.0f / 17.0f));
  EXPECT_LE(conv.att_dst().value.host().cwiseAbs().maxCoeff(), std::sqrt(6.0f / 7.0f));
  EXPECT_GT(conv.att_dst().value.host().cwiseAbs().maxCoeff(), std::sqrt(6.0f / 17.0f) / 4.0f);
}

TEST(GATConv, RejectsBadOptionsAndInput) {
  Rng rng(1);
  EXPECT_THROW(GATConv({.in_channels = 2, .out_channels = 2, .heads = 0}, rng), InvalidArgument);
  EXPECT_THROW(GATConv({.in_channels = 2, .out_channels = 2, .dropout = 1.0f}, rng),
               InvalidArgument);
  GATConv conv({.in_channels = 2, .out_channels = 2, .dropout = 0.5f}, rng);
  const graph::Csr g = test::small_graph();
  test::expect_error<InvalidArgument>(
      [&] {
        Tape tape;
        conv.forward(tape, g, tape.constant(Tensor::zeros(3, 3)), rng);
      },
      "GATConv::forward");
  test::expect_error<InvalidArgument>(
      [&] {
        Tape tape;
        conv.forward(tape, g, tape.constant(Tensor::zeros(2, 2)), rng);
      },
      "GATConv::forward");
  test::expect_error<InvalidArgument>(  // attention dropout in training mode needs an Rng
      [&] {
        Tape tape;
        conv.forward(tape, g, tape.constant(Tensor::zeros(3, 2)));
      },
      "GATConv::forward");
  EXPECT_THROW(conv.prepare(test::small_block()), InvalidArgument);  // loops need a square graph
}

}  // namespace
}  // namespace moegnn::layers
