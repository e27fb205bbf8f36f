// SPDX-License-Identifier: Apache-2.0
// layers/pooling.h and ops::segment_max: hand-computed sum / mean / max pools with an empty graph,
// the max gradient routed to the first maximum, gradients of all three pools by central
// differences, malformed offsets and pool names.
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/ops/reduce.h"
#include "layers/ops/segment.h"
#include "layers/pooling.h"
#include "tests/support/gradcheck.h"

namespace moegnn {
namespace {

using support::all_close;
using support::gradient_matches;
using support::random_tensor;

// Graphs of 2, 0, 3 and 1 nodes over 6 node rows.
const graph::EdgeIds& ptr() {
  static const graph::EdgeIds p{0, 2, 2, 5, 6};
  return p;
}

const Tensor& x6() {
  static const Tensor x =
      Tensor::from_rows({{1, -10}, {2, -20}, {3, 30}, {-4, 40}, {5, 40}, {6, -60}});
  return x;
}

Tensor pool(layers::Pool p, const Tensor& x) {
  Tape tape(Tape::Mode::Inference);
  return layers::global_pool(tape, p, ptr(), tape.constant(x)).value();
}

TEST(GlobalPool, HandComputedWithAnEmptyGraph) {
  EXPECT_TRUE(all_close(pool(layers::Pool::Sum, x6()),
                        Tensor::from_rows({{3, -30}, {0, 0}, {4, 110}, {6, -60}})));
  EXPECT_TRUE(
      all_close(pool(layers::Pool::Mean, x6()),
                Tensor::from_rows({{1.5f, -15}, {0, 0}, {4.0f / 3, 110.0f / 3}, {6, -60}})));
  EXPECT_TRUE(all_close(pool(layers::Pool::Max, x6()),
                        Tensor::from_rows({{2, -10}, {0, 0}, {5, 40}, {6, -60}})));
}

TEST(GlobalPool, MaxGradientGoesToTheFirstMaximum) {
  // Column 1 of graph 2 ties (40 at rows 3 and 4): row 3 gets the gradient, row 4 none.
  Tape tape;
  Parameter p(x6().clone());
  const Var leaf = tape.param(p);
  const Var out = layers::global_max_pool(tape, ptr(), leaf);
  tape.backward(ops::sum(tape, out));
  EXPECT_TRUE(
      all_close(p.grad, Tensor::from_rows({{0, 1}, {1, 0}, {0, 0}, {0, 1}, {1, 0}, {1, 1}})));
}

TEST(GlobalPool, GradientsMatchCentralDifferences) {
  // Random values: no ties, so max is differentiable at the point.
  const Tensor x = random_tensor(6, 5, 3);
  for (const layers::Pool p : {layers::Pool::Sum, layers::Pool::Mean, layers::Pool::Max}) {
    EXPECT_TRUE(gradient_matches(
        [p](Tape& tape, const std::vector<Var>& in) {
          return layers::global_pool(tape, p, ptr(), in[0]);
        },
        {x}, 1e-3f))
        << layers::to_string(p);
  }
}

TEST(GlobalPool, RejectsOffsetsThatDoNotCoverTheRows) {
  Tape tape;
  const Var x = tape.constant(x6());
  EXPECT_THROW(layers::global_max_pool(tape, graph::EdgeIds{0, 2, 5}, x), InvalidArgument);
  EXPECT_THROW(layers::global_add_pool(tape, graph::EdgeIds{0, 3, 2, 6}, x), InvalidArgument);
}

TEST(GlobalPool, ParsesNames) {
  EXPECT_EQ(layers::parse_pool("add"), layers::Pool::Sum);
  EXPECT_EQ(layers::parse_pool("max"), layers::Pool::Max);
  EXPECT_THROW(layers::parse_pool("min"), InvalidArgument);
}

TEST(SegmentMax, MatchesANaiveReference) {
  Rng rng(4);
  std::vector<graph::EdgeId> offsets{0};
  for (int s = 0; s < 40; ++s)
    offsets.push_back(offsets.back() + static_cast<graph::EdgeId>(rng.below(6)));
  const Tensor x = random_tensor(offsets.back(), 19, 5);
  const Tensor out = ops::segment_max(graph::EdgeIds(offsets), x);
  Matrix expected = Matrix::Zero(40, 19);
  for (int s = 0; s < 40; ++s)
    if (offsets[s + 1] > offsets[s])
      expected.row(s) =
          x.host().middleRows(offsets[s], offsets[s + 1] - offsets[s]).colwise().maxCoeff();
  EXPECT_TRUE(all_close(out, Tensor::from(expected), 0.0f, 0.0f));
}

}  // namespace
}  // namespace moegnn
