// SPDX-License-Identifier: Apache-2.0
// GCNConv: hand-computed forward on a normalised path, both multiplication orders against a dense
// reference, gradients and bad input.
#include "layers/gcn_conv.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "tests/layers/parameter_gradcheck.h"
#include "tests/support/gradcheck.h"

namespace moegnn::layers {
namespace {

// The path 0 - 1 - 2 with self-loops, normalised: degrees (with loops) 2, 3, 2, so
// Â[i][j] = 1 / sqrt(d_i d_j):
//   [ 1/2    1/√6   0    ]
//   [ 1/√6   1/3    1/√6 ]
//   [ 0      1/√6   1/2  ]
graph::Csr normalised_path() {
  const float s = 1.0f / std::sqrt(6.0f);
  return graph::Csr(3, 3, graph::EdgeIds{0, 2, 5, 7}, graph::NodeIds{0, 1, 0, 1, 2, 1, 2},
                    Tensor::from_vector(7, 1, {0.5f, s, s, 1.0f / 3.0f, s, s, 0.5f}));
}

Matrix dense(const graph::Csr& a) {
  Matrix m = Matrix::Zero(a.num_rows(), a.num_cols());
  for (Index r = 0; r < a.num_rows(); ++r)
    for (auto k = a.row_ptr()[r]; k < a.row_ptr()[r + 1]; ++k)
      m(r, a.col_idx()[k]) += a.values().data()[k];
  return m;
}

// Naive triple-loop product: the reference stays independent of Eigen's GEMM (and of GCC 12's
// false maybe-uninitialized warnings on its AVX-512 kernels).
Matrix product(const Matrix& a, const Matrix& b) {
  Matrix out = Matrix::Zero(a.rows(), b.cols());
  for (Index i = 0; i < a.rows(); ++i)
    for (Index k = 0; k < a.cols(); ++k)
      for (Index j = 0; j < b.cols(); ++j) out(i, j) += a(i, k) * b(k, j);
  return out;
}

TEST(GCNConv, MatchesHandComputedPath) {
  Rng rng(1);
  GCNConv conv({.in_channels = 1, .out_channels = 1}, rng);
  conv.weight().value = Tensor::from_rows({{2}});
  conv.bias().value = Tensor::from_rows({{1}});
  const graph::Csr adj = normalised_path();
  Tape tape;
  const Var y = conv.forward(tape, adj, tape.constant(Tensor::from_rows({{1}, {2}, {3}})));
  const float r6 = std::sqrt(6.0f);
  // out_i = 2 · Σ_j Â_ij x_j + 1
  const Tensor expected = Tensor::from_rows(
      {{2.0f + 4.0f / r6}, {8.0f / r6 + 4.0f / 3.0f + 1.0f}, {4.0f / r6 + 4.0f}});
  EXPECT_TRUE(support::all_close(y.value(), expected));
}

class GCNConvOrder : public ::testing::TestWithParam<GCNConvOptions::Order> {};

TEST_P(GCNConvOrder, MatchesDenseReference) {
  for (const auto& [in, out] : {std::pair<Index, Index>{4, 2}, {2, 5}}) {
    Rng rng(3);
    GCNConv conv({.in_channels = in, .out_channels = out, .order = GetParam()}, rng);
    conv.bias().value = support::random_tensor(1, out, 4);
    const graph::Csr adj = normalised_path();
    const Tensor x = support::random_tensor(3, in, 5);
    Tape tape;
    const Var y = conv.forward(tape, adj, tape.constant(x));
    Matrix expected = product(product(dense(adj), x.host()), conv.weight().value.host());
    expected.rowwise() += conv.bias().value.host().row(0);
    EXPECT_TRUE(support::all_close(y.value(), Tensor::from(expected), 1e-5f, 1e-4f));
  }
}

TEST_P(GCNConvOrder, GradientsMatchFiniteDifferences) {
  Rng rng(8);
  GCNConv conv({.in_channels = 3, .out_channels = 2, .order = GetParam()}, rng);
  conv.bias().value = support::random_tensor(1, 2, 6);
  Parameter x(support::random_tensor(3, 3, 7), "x");
  const graph::Csr adj = normalised_path();
  std::vector<Parameter*> params = conv.parameters();
  params.push_back(&x);
  EXPECT_TRUE(support::parameter_gradients_match(
      params, [&](Tape& tape) { return conv.forward(tape, adj, tape.param(x)); }));
}

INSTANTIATE_TEST_SUITE_P(Orders, GCNConvOrder,
                         ::testing::Values(GCNConvOptions::Order::Auto,
                                           GCNConvOptions::Order::TransformFirst,
                                           GCNConvOptions::Order::AggregateFirst),
                         [](const auto& info) {
                           switch (info.param) {
                             case GCNConvOptions::Order::TransformFirst: return "TransformFirst";
                             case GCNConvOptions::Order::AggregateFirst: return "AggregateFirst";
                             default: return "Auto";
                           }
                         });

TEST(GCNConv, ParametersAreNamedWeightAndBias) {
  Rng rng(1);
  GCNConv conv({.in_channels = 3, .out_channels = 2}, rng);
  const auto params = conv.parameters();
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0]->name, "weight");
  EXPECT_EQ(params[1]->name, "bias");
  EXPECT_TRUE(support::all_close(conv.bias().value, Tensor::zeros(1, 2)));
  GCNConv no_bias({.in_channels = 3, .out_channels = 2, .bias = false}, rng);
  EXPECT_EQ(no_bias.parameters().size(), 1u);
}

void expect_forward_error(GCNConv& conv, const graph::Csr& adj, const Tensor& x) {
  Tape tape;
  try {
    conv.forward(tape, adj, tape.constant(x));
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("GCNConv::forward"), std::string::npos) << e.what();
  }
}

TEST(GCNConv, RejectsBadShapes) {
  Rng rng(1);
  EXPECT_THROW(GCNConv({.in_channels = 2, .out_channels = 0}, rng), InvalidArgument);
  GCNConv conv({.in_channels = 2, .out_channels = 2}, rng);
  const graph::Csr adj = normalised_path();
  expect_forward_error(conv, adj, Tensor::zeros(3, 3));  // wrong width
  expect_forward_error(conv, adj, Tensor::zeros(4, 2));  // wrong node count
  const graph::Csr rectangular(2, 3, graph::EdgeIds{0, 1, 2}, graph::NodeIds{0, 2});
  expect_forward_error(conv, rectangular, Tensor::zeros(3, 2));
}

}  // namespace
}  // namespace moegnn::layers
