// SPDX-License-Identifier: Apache-2.0
// SAGEConv: hand-computed mean/sum/max on a 3-node graph, L2 normalisation, a dense reference in
// every multiplication order, blocks, gradients and bad input.
#include <cmath>

#include <gtest/gtest.h>

#include "core/error.h"
#include "layers/sage_conv.h"
#include "tests/layers/conv_fixtures.h"
#include "tests/layers/parameter_gradcheck.h"
#include "tests/support/gradcheck.h"

namespace moegnn::layers {
namespace {

using Order = SAGEConvOptions::Order;

// in = out = 1 with W_l = 2, W_r = 10, b = 1 on small_graph() (0 ← {1, 2}, 1 ← {0}, 2 ← {}).
Tensor hand_forward(ops::Reduce aggr) {
  Rng rng(1);
  SAGEConv conv({.in_channels = 1, .out_channels = 1, .aggr = aggr}, rng);
  conv.lin_l_weight().value = Tensor::from_rows({{2}});
  conv.lin_r_weight().value = Tensor::from_rows({{10}});
  conv.bias().value = Tensor::from_rows({{1}});
  Tape tape;
  return conv.forward(tape, test::small_graph(), tape.constant(Tensor::from_rows({{1}, {2}, {4}})))
      .value();
}

TEST(SAGEConv, MatchesHandComputedAggregations) {
  // out_i = 2 · aggr_i + 10 · x_i + 1 with x = (1, 2, 4); node 2 has no in-neighbours (aggr 0).
  // mean: aggr = (3, 1, 0); sum: (6, 1, 0); max: (4, 1, 0).
  EXPECT_TRUE(
      support::all_close(hand_forward(ops::Reduce::Mean), Tensor::from_rows({{17}, {23}, {41}})));
  EXPECT_TRUE(
      support::all_close(hand_forward(ops::Reduce::Sum), Tensor::from_rows({{23}, {23}, {41}})));
  EXPECT_TRUE(
      support::all_close(hand_forward(ops::Reduce::Max), Tensor::from_rows({{19}, {23}, {41}})));
}

TEST(SAGEConv, NormalizesOutputRows) {
  Rng rng(1);
  SAGEConv conv({.in_channels = 1, .out_channels = 2, .bias = false, .normalize = true}, rng);
  conv.lin_l_weight().value = Tensor::from_rows({{1, 0}});
  conv.lin_r_weight().value = Tensor::from_rows({{0, 1}});
  Tape tape;
  const Var y =
      conv.forward(tape, test::small_graph(), tape.constant(Tensor::from_rows({{1}, {2}, {4}})));
  // Before normalising: (mean, x) = (3, 1), (1, 2), (0, 4).
  const float r10 = std::sqrt(10.0f);
  const float r5 = std::sqrt(5.0f);
  EXPECT_TRUE(support::all_close(
      y.value(), Tensor::from_rows({{3 / r10, 1 / r10}, {1 / r5, 2 / r5}, {0, 1}})));
}

TEST(SAGEConv, L2NormalizeKeepsZeroRowsAtZero) {
  Tape tape;
  const Var y = l2_normalize_rows(tape, tape.constant(Tensor::from_rows({{0, 0}, {3, 4}})));
  EXPECT_TRUE(support::all_close(y.value(), Tensor::from_rows({{0, 0}, {0.6f, 0.8f}})));
}

class SAGEConvConfig : public ::testing::TestWithParam<std::tuple<ops::Reduce, Order>> {};

// aggregation reference: mean/sum from the dense adjacency, max by a loop over neighbours.
Matrix reference_aggregate(const graph::Csr& g, const Matrix& x, ops::Reduce aggr) {
  if (aggr != ops::Reduce::Max) {
    Matrix a = test::dense(g);
    if (aggr == ops::Reduce::Mean)
      for (Index i = 0; i < a.rows(); ++i)
        if (g.degree(i) > 0) a.row(i) /= static_cast<float>(g.degree(i));
    return test::product(a, x);
  }
  Matrix out = Matrix::Zero(g.num_rows(), x.cols());
  for (Index i = 0; i < g.num_rows(); ++i)
    for (Index c = 0; c < x.cols(); ++c) {
      float best = -INFINITY;
      for (const graph::NodeId j : g.neighbors(i)) best = std::max(best, x(j, c));
      out(i, c) = g.degree(i) > 0 ? best : 0.0f;
    }
  return out;
}

TEST_P(SAGEConvConfig, MatchesDenseReference) {
  const auto [aggr, order] = GetParam();
  const graph::Csr g = test::random_graph(9, 0.3, 2);
  for (const auto& [in, out] : {std::pair<Index, Index>{4, 2}, {2, 5}}) {
    Rng rng(3);
    SAGEConv conv({.in_channels = in, .out_channels = out, .aggr = aggr, .order = order}, rng);
    conv.bias().value = support::random_tensor(1, out, 4);
    const Tensor x = support::random_tensor(9, in, 5);
    Tape tape;
    const Var y = conv.forward(tape, g, tape.constant(x));
    const Matrix expected = test::plus_row(
        test::product(reference_aggregate(g, x.host(), aggr), conv.lin_l_weight().value.host()) +
            test::product(x.host(), conv.lin_r_weight().value.host()),
        conv.bias().value);
    EXPECT_TRUE(support::all_close(y.value(), Tensor::from(expected), 1e-5f, 1e-4f));
  }
}

TEST_P(SAGEConvConfig, GradientsMatchFiniteDifferences) {
  const auto [aggr, order] = GetParam();
  const graph::Csr g = test::random_graph(6, 0.4, 6);
  for (const bool normalize : {false, true}) {
    Rng rng(8);
    SAGEConv conv(
        {.in_channels = 3, .out_channels = 2, .aggr = aggr, .normalize = normalize, .order = order},
        rng);
    conv.bias().value = support::random_tensor(1, 2, 6);
    Parameter x(support::random_tensor(6, 3, 7), "x");
    std::vector<Parameter*> params = conv.parameters();
    params.push_back(&x);
    EXPECT_TRUE(support::parameter_gradients_match(
        params, [&](Tape& tape) { return conv.forward(tape, g, tape.param(x)); }, 1e-3f, 3e-3f,
        3e-2f))
        << "normalize " << normalize;
  }
}

// Every aggregation in every order, except Max with TransformFirst (rejected by the constructor).
std::vector<std::tuple<ops::Reduce, Order>> valid_configs() {
  std::vector<std::tuple<ops::Reduce, Order>> out;
  for (const auto aggr : {ops::Reduce::Mean, ops::Reduce::Sum, ops::Reduce::Max})
    for (const auto order : {Order::Auto, Order::TransformFirst, Order::AggregateFirst})
      if (aggr != ops::Reduce::Max || order != Order::TransformFirst) out.emplace_back(aggr, order);
  return out;
}

std::string config_name(const ::testing::TestParamInfo<std::tuple<ops::Reduce, Order>>& info) {
  static const char* const kAggr[] = {"Sum", "Mean", "Max"};
  static const char* const kOrder[] = {"Auto", "TransformFirst", "AggregateFirst"};
  return std::string(kAggr[static_cast<int>(std::get<0>(info.param))]) +
         kOrder[static_cast<int>(std::get<1>(info.param))];
}

INSTANTIATE_TEST_SUITE_P(All, SAGEConvConfig, ::testing::ValuesIn(valid_configs()), config_name);

TEST(SAGEConv, BlockMatchesTheSquareGraphOnItsTargets) {
  Rng rng(2);
  SAGEConv conv({.in_channels = 3, .out_channels = 2}, rng);
  const Tensor x = support::random_tensor(3, 3, 3);
  Tape tape;
  const Tensor square = conv.forward(tape, test::small_graph(), tape.constant(x)).value();
  const Tensor block = conv.forward(tape, test::small_block(), tape.constant(x)).value();
  ASSERT_EQ(block.rows(), 2);
  EXPECT_TRUE(support::all_close(block, Tensor::from(square.host().topRows(2))));
}

TEST(SAGEConv, NamesParametersAsPyG) {
  Rng rng(1);
  SAGEConv conv({.in_channels = 3, .out_channels = 2}, rng);
  std::vector<std::string> names;
  for (const Parameter* p : conv.parameters()) names.push_back(p->name);
  EXPECT_EQ(names, (std::vector<std::string>{"lin_l.weight", "lin_l.bias", "lin_r.weight"}));
  SAGEConv bare({.in_channels = 3, .out_channels = 2, .root_weight = false, .bias = false}, rng);
  EXPECT_EQ(bare.parameters().size(), 1u);
}

TEST(SAGEConv, RejectsBadOptionsAndInput) {
  Rng rng(1);
  EXPECT_THROW(SAGEConv({.in_channels = 0, .out_channels = 2}, rng), InvalidArgument);
  EXPECT_THROW(SAGEConv({.in_channels = 2,
                         .out_channels = 2,
                         .aggr = ops::Reduce::Max,
                         .order = Order::TransformFirst},
                        rng),
               InvalidArgument);
  SAGEConv conv({.in_channels = 2, .out_channels = 2}, rng);
  const auto forward = [&](const graph::Csr& g, const Tensor& x) {
    return [&conv, g, x] {
      Tape tape;
      conv.forward(tape, g, tape.constant(x));
    };
  };
  test::expect_error<InvalidArgument>(forward(test::small_graph(), Tensor::zeros(3, 3)),
                                      "SAGEConv::forward");  // wrong width
  test::expect_error<InvalidArgument>(forward(test::small_graph(), Tensor::zeros(4, 2)),
                                      "SAGEConv::forward");  // wrong node count
  const graph::Csr tall(3, 2, graph::EdgeIds{0, 1, 1, 1}, graph::NodeIds{0});
  test::expect_error<InvalidArgument>(forward(tall, Tensor::zeros(2, 2)),
                                      "SAGEConv::forward");  // more targets than sources
}

}  // namespace
}  // namespace moegnn::layers
