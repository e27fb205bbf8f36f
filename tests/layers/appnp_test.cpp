// SPDX-License-Identifier: Apache-2.0
// APPNP: hand-computed two steps on a weighted 2-node graph, a dense iteration on a random graph,
// gradients (through the transpose of an asymmetric Â) and bad input.
#include <gtest/gtest.h>

#include "core/error.h"
#include "layers/appnp.h"
#include "tests/layers/conv_fixtures.h"
#include "tests/support/gradcheck.h"

namespace moegnn::layers {
namespace {

// Â = [[0.5, 0.25], [0, 1]]: row 0 {0: 0.5, 1: 0.25}, row 1 {1: 1}.
graph::Csr weighted_pair() {
  return graph::Csr(2, 2, graph::EdgeIds{0, 2, 3}, graph::NodeIds{0, 1, 1},
                    Tensor::from_vector(3, 1, {0.5f, 0.25f, 1.0f}));
}

// A random square graph with asymmetric values in [0.1, 0.5).
graph::Csr random_weighted(Index n, std::uint64_t seed) {
  const graph::Csr g = test::random_graph(n, 0.4, seed);
  return g.with_values(support::random_tensor(g.num_edges(), 1, seed + 1, 0.1f, 0.5f));
}

TEST(APPNP, MatchesHandComputedSteps) {
  APPNP appnp({.K = 2, .alpha = 0.5f});
  Tape tape;
  const Var y = appnp.forward(tape, weighted_pair(), tape.constant(Tensor::from_rows({{4}, {4}})));
  // Â x = (3, 4) -> h1 = 0.5 (3, 4) + 0.5 (4, 4) = (3.5, 4);
  // Â h1 = (2.75, 4) -> h2 = 0.5 (2.75, 4) + (2, 2) = (3.375, 4).
  EXPECT_TRUE(support::all_close(y.value(), Tensor::from_rows({{3.375f}, {4}})));
}

TEST(APPNP, MatchesDenseIteration) {
  const graph::Csr g = random_weighted(9, 2);
  const Tensor x = support::random_tensor(9, 3, 4);
  APPNP appnp({.K = 5, .alpha = 0.2f});
  Tape tape;
  const Var y = appnp.forward(tape, g, tape.constant(x));
  const Matrix a = test::dense(g);
  Matrix h = x.host();
  for (int k = 0; k < 5; ++k) h = 0.8f * test::product(a, h) + 0.2f * Matrix(x.host());
  EXPECT_TRUE(support::all_close(y.value(), Tensor::from(h), 1e-5f, 1e-4f));
}

TEST(APPNP, ZeroStepsReturnTheInput) {
  APPNP appnp({.K = 0});
  Tape tape;
  const Var x = tape.constant(Tensor::from_rows({{1}, {2}}));
  EXPECT_EQ(appnp.forward(tape, weighted_pair(), x).id(), x.id());
  EXPECT_TRUE(appnp.parameters().empty());
}

TEST(APPNP, GradientsMatchFiniteDifferences) {
  const graph::Csr g = random_weighted(7, 5);
  APPNP appnp({.K = 3, .alpha = 0.3f});
  EXPECT_TRUE(support::gradient_matches(
      [&](Tape& tape, const std::vector<Var>& in) { return appnp.forward(tape, g, in[0]); },
      {support::random_tensor(7, 2, 6)}));
}

TEST(APPNP, RejectsBadOptionsAndInput) {
  EXPECT_THROW(APPNP({.K = -1}), InvalidArgument);
  EXPECT_THROW(APPNP({.alpha = 1.5f}), InvalidArgument);
  APPNP appnp({.K = 2});
  test::expect_error<InvalidArgument>(
      [&] {
        Tape tape;
        appnp.forward(tape, weighted_pair(), tape.constant(Tensor::zeros(3, 2)));
      },
      "APPNP::forward");
  test::expect_error<InvalidArgument>(
      [&] {
        Tape tape;
        appnp.forward(tape, test::small_block(), tape.constant(Tensor::zeros(3, 2)));
      },
      "APPNP::forward");
}

}  // namespace
}  // namespace moegnn::layers
