// SPDX-License-Identifier: Apache-2.0
// JumpingKnowledge: hand-computed cat and max (with the tie rule of the gradient), finite
// differences, output widths and bad input.
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/ops/reduce.h"
#include "layers/jumping_knowledge.h"
#include "tests/layers/conv_fixtures.h"
#include "tests/support/gradcheck.h"

namespace moegnn::layers {
namespace {

using Mode = JumpingKnowledgeOptions::Mode;

TEST(JumpingKnowledge, ConcatenatesInLayerOrder) {
  JumpingKnowledge jk({.mode = Mode::Cat});
  Tape tape;
  const Var y = jk.forward(tape, {tape.constant(Tensor::from_rows({{1, 2}, {3, 4}})),
                                  tape.constant(Tensor::from_rows({{5}, {6}}))});
  EXPECT_TRUE(support::all_close(y.value(), Tensor::from_rows({{1, 2, 5}, {3, 4, 6}})));
  EXPECT_EQ(jk.out_channels({2, 1}), 3);
}

TEST(JumpingKnowledge, MaxTakesElementwiseMaximumAndRoutesGradientToFirstWinner) {
  JumpingKnowledge jk({.mode = Mode::Max});
  Parameter p0(Tensor::from_rows({{1, 5}, {3, 0}}));
  Parameter p1(Tensor::from_rows({{2, 4}, {3, -1}}));
  Tape tape;
  const Var y = jk.forward(tape, {tape.param(p0), tape.param(p1)});
  EXPECT_TRUE(support::all_close(y.value(), Tensor::from_rows({{2, 5}, {3, 0}})));
  tape.backward(ops::sum(tape, y));
  // Element (1, 0) ties at 3: the first layer takes the gradient.
  EXPECT_TRUE(support::all_close(p0.grad, Tensor::from_rows({{0, 1}, {1, 1}})));
  EXPECT_TRUE(support::all_close(p1.grad, Tensor::from_rows({{1, 0}, {0, 0}})));
  EXPECT_EQ(jk.out_channels({4, 4, 4}), 4);
}

TEST(JumpingKnowledge, GradientsMatchFiniteDifferences) {
  for (const Mode mode : {Mode::Cat, Mode::Max}) {
    JumpingKnowledge jk({.mode = mode});
    EXPECT_TRUE(support::gradient_matches(
        [&](Tape& tape, const std::vector<Var>& in) { return jk.forward(tape, in); },
        {support::random_tensor(4, 3, 1), support::random_tensor(4, 3, 2),
         support::random_tensor(4, 3, 3)},
        1e-3f));
  }
}

TEST(JumpingKnowledge, RejectsBadInput) {
  JumpingKnowledge max({.mode = Mode::Max});
  test::expect_error<InvalidArgument>(
      [&] {
        Tape tape;
        max.forward(tape, {});
      },
      "JumpingKnowledge::forward");
  test::expect_error<InvalidArgument>(
      [&] {
        Tape tape;
        max.forward(tape, {tape.constant(Tensor::zeros(2, 2)), tape.constant(Tensor::zeros(2, 3))});
      },
      "JumpingKnowledge::forward");
  EXPECT_THROW(max.out_channels({2, 3}), InvalidArgument);
  EXPECT_THROW(max.out_channels({}), InvalidArgument);
  JumpingKnowledge cat({.mode = Mode::Cat});
  EXPECT_THROW(
      {
        Tape tape;
        cat.forward(tape, {tape.constant(Tensor::zeros(2, 2)), tape.constant(Tensor::zeros(3, 2))});
      },
      InvalidArgument);
}

}  // namespace
}  // namespace moegnn::layers
