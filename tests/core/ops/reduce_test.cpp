// SPDX-License-Identifier: Apache-2.0
// Sum, mean and max over each axis against naive loops (on shapes large enough for several fixed
// chunks), softmax / log-softmax and argmax, gradients, and the empty-input errors.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/reduce.h"
#include "tests/core/ops/op_test_util.h"
#include "tests/support/gradcheck.h"

namespace moegnn {
namespace {

using ops::Over;

const std::vector<Over> kAxes = {Over::All, Over::Rows, Over::Cols};

// Naive sum (or max) over `over`, in double, one pass over x.
Tensor naive_reduce(const Tensor& x, Over over, bool take_max) {
  const Index rows = over == Over::Cols ? x.rows() : 1;
  const Index cols = over == Over::Rows ? x.cols() : 1;
  std::vector<double> acc(static_cast<std::size_t>(rows * cols), take_max ? -INFINITY : 0.0);
  for (Index i = 0; i < x.rows(); ++i)
    for (Index j = 0; j < x.cols(); ++j) {
      double& a = acc[static_cast<std::size_t>((over == Over::Cols ? i : 0) * cols +
                                               (over == Over::Rows ? j : 0))];
      a = take_max ? std::max(a, double{test::at(x, i, j)}) : a + test::at(x, i, j);
    }
  return test::make_tensor(rows, cols, [&](Index r, Index c) {
    return static_cast<float>(acc[static_cast<std::size_t>(r * cols + c)]);
  });
}

Var run(Var (*op)(Tape&, Var, Over), const Tensor& x, Over over, Tape& tape) {
  return op(tape, tape.constant(x), over);
}

TEST(Reduce, SumMeanMaxMatchNaiveLoops) {
  // 3000 × 50 = 150 000 elements: several chunks for All, several row blocks for Rows.
  const Tensor x = support::random_tensor(3000, 50, 1);
  Tape tape(Tape::Mode::Inference);
  for (const Over over : kAxes) {
    const Tensor sum = naive_reduce(x, over, false);
    const float count = over == Over::All ? 150000.0f : over == Over::Rows ? 3000.0f : 50.0f;
    const Tensor mean = test::make_tensor(
        sum.rows(), sum.cols(), [&](Index i, Index j) { return test::at(sum, i, j) / count; });
    EXPECT_TRUE(support::all_close(run(&ops::sum, x, over, tape).value(), sum, 1e-3f, 1e-5f));
    EXPECT_TRUE(support::all_close(run(&ops::mean, x, over, tape).value(), mean, 1e-6f, 1e-5f));
    EXPECT_TRUE(support::all_close(run(&ops::max, x, over, tape).value(),
                                   naive_reduce(x, over, true), 0.0f, 0.0f));
    EXPECT_TRUE(support::all_close(ops::sum(x, over), sum, 1e-3f, 1e-5f));
  }
}

TEST(Reduce, HandComputedSums) {
  const Tensor x = Tensor::from_rows({{1, 2, 3}, {4, 5, 6}});
  EXPECT_TRUE(support::all_close(ops::sum(x, Over::All), Tensor::scalar(21)));
  EXPECT_TRUE(support::all_close(ops::sum(x, Over::Rows), Tensor::from_rows({{5, 7, 9}})));
  EXPECT_TRUE(support::all_close(ops::sum(x, Over::Cols), Tensor::from_rows({{6}, {15}})));
  EXPECT_TRUE(support::all_close(ops::sum(Tensor::zeros(0, 3), Over::All), Tensor::scalar(0)));
}

TEST(Reduce, Gradients) {
  for (const Over over : kAxes) {
    const Tensor x = support::random_tensor(4, 3, 2);  // distinct values: max has no near-ties
    for (auto* op : {&ops::sum, &ops::mean, &ops::max})
      EXPECT_TRUE(support::gradient_matches(
          [op, over](Tape& t, const std::vector<Var>& v) { return op(t, v[0], over); }, {x}))
          << "axis " << static_cast<int>(over);
  }
}

TEST(Reduce, MaxGradientGoesToTheFirstMaximum) {
  Parameter p(Tensor::from_rows({{1, 3, 3}, {3, 0, 2}}));
  Tape tape;
  const Var x = tape.param(p);
  const Var all = ops::max(tape, x, Over::All);
  const Var per_col = ops::sum(tape, ops::max(tape, x, Over::Rows), Over::All);
  const Var per_row = ops::sum(tape, ops::max(tape, x, Over::Cols), Over::All);
  // Each maximum records a hand-picked multiplier, so the grads show which element each one chose.
  const Var loss = tape.record(Tensor::scalar(0.0f), {all, per_col, per_row}, [](Tape::Step& s) {
    s.grad_in[0]->data()[0] += 100.0f;
    s.grad_in[1]->data()[0] += 10.0f;
    s.grad_in[2]->data()[0] += 1.0f;
  });
  tape.backward(loss);
  // All: (0, 1). Per column: rows 1, 0, 0. Per row: columns 1 and 0.
  EXPECT_TRUE(support::all_close(p.grad, Tensor::from_rows({{0, 111, 10}, {11, 0, 0}})));
}

TEST(Reduce, MaxTieBreakSurvivesTheSplitIntoBlocks) {
  // All equal over many chunks and row blocks: every maximum must pick the first element.
  Parameter p(Tensor::full(70000, 2, 1.0f));
  Tape tape;
  const Var x = tape.param(p);
  tape.backward(ops::add(tape, ops::max(tape, x, Over::All),
                         ops::sum(tape, ops::max(tape, x, Over::Rows), Over::All)));
  EXPECT_FLOAT_EQ(p.grad.data()[0], 2.0f);  // the overall maximum and column 0's
  EXPECT_FLOAT_EQ(p.grad.data()[1], 1.0f);  // column 1's
  EXPECT_FLOAT_EQ(test::at(ops::sum(p.grad, Over::All), 0, 0), 3.0f);  // nothing elsewhere
}

TEST(Reduce, MaxPropagatesNaN) {
  Tape tape(Tape::Mode::Inference);
  const Tensor x = Tensor::from_rows({{1, NAN, 2}});
  EXPECT_TRUE(std::isnan(ops::max(tape, tape.constant(x), Over::All).value().item()));
}

TEST(Reduce, SoftmaxMatchesNaiveAndIsStable) {
  // Large logits: a naive exp would overflow; the shifted form must not.
  Tensor x = support::random_tensor(5, 7, 3, -3.0f, 3.0f);
  for (Index j = 0; j < 7; ++j) x.data()[j] += 1000.0f;
  const Tensor expected = test::make_tensor(5, 7, [&](Index i, Index j) {
    double shift = -INFINITY;
    for (Index k = 0; k < 7; ++k) shift = std::max(shift, double{test::at(x, i, k)});
    double total = 0.0;
    for (Index k = 0; k < 7; ++k) total += std::exp(test::at(x, i, k) - shift);
    return static_cast<float>(std::exp(test::at(x, i, j) - shift) / total);
  });
  const Tensor expected_log =
      test::make_tensor(5, 7, [&](Index i, Index j) { return std::log(test::at(expected, i, j)); });
  Tape tape(Tape::Mode::Inference);
  EXPECT_TRUE(support::all_close(ops::softmax(x), expected, 1e-6f, 1e-5f));
  EXPECT_TRUE(
      support::all_close(ops::softmax(tape, tape.constant(x)).value(), expected, 1e-6f, 1e-5f));
  EXPECT_TRUE(support::all_close(ops::log_softmax(tape, tape.constant(x)).value(), expected_log,
                                 1e-5f, 1e-5f));
}

TEST(Reduce, SoftmaxGradients) {
  const Tensor x = support::random_tensor(3, 5, 4, -2.0f, 2.0f);
  EXPECT_TRUE(support::gradient_matches(
      [](Tape& t, const std::vector<Var>& v) { return ops::softmax(t, v[0]); }, {x}));
  EXPECT_TRUE(support::gradient_matches(
      [](Tape& t, const std::vector<Var>& v) { return ops::log_softmax(t, v[0]); }, {x}));
}

TEST(Reduce, ArgmaxRowsTakesTheFirstMaximum) {
  const Tensor x = Tensor::from_rows({{1, 5, 5}, {7, 2, 7}, {-1, -3, -2}});
  EXPECT_EQ(ops::argmax_rows(x).to_vector(), (std::vector<std::int32_t>{1, 0, 0}));
  EXPECT_EQ(ops::argmax_rows(Tensor::zeros(0, 0)).size(), 0);
}

TEST(Reduce, RejectsEmptyInputs) {
  Tape tape;
  const Var empty = tape.constant(Tensor::zeros(0, 3));
  EXPECT_TRUE(test::throws_naming<InvalidArgument>([&] { ops::mean(tape, empty); }, "mean"));
  EXPECT_TRUE(
      test::throws_naming<InvalidArgument>([&] { ops::max(tape, empty, Over::Rows); }, "max"));
  EXPECT_TRUE(test::throws_naming<InvalidArgument>([&] { ops::argmax_rows(Tensor::zeros(2, 0)); },
                                                   "argmax_rows"));
}

}  // namespace
}  // namespace moegnn
