// SPDX-License-Identifier: Apache-2.0
// Losses against naive double-precision formulas (all rows, row subsets with repeats), gradients,
// and the errors: labels and rows out of range, bad targets, and non-finite losses.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/ops/loss.h"
#include "tests/core/ops/op_test_util.h"
#include "tests/support/gradcheck.h"

namespace moegnn {
namespace {

// Mean over `rows` (all rows when empty) of -log softmax(z_i)[label_i], in double.
double naive_cross_entropy(const Tensor& z, const std::vector<std::int32_t>& labels,
                           std::vector<std::int32_t> rows) {
  if (rows.empty())
    for (Index i = 0; i < z.rows(); ++i) rows.push_back(static_cast<std::int32_t>(i));
  double total = 0.0;
  for (const std::int32_t i : rows) {
    double norm = 0.0;
    for (Index j = 0; j < z.cols(); ++j) norm += std::exp(double{test::at(z, i, j)});
    total += std::log(norm) - test::at(z, i, labels[static_cast<std::size_t>(i)]);
  }
  return total / static_cast<double>(rows.size());
}

float loss_value(const std::function<Var(Tape&, Var)>& loss, const Tensor& x) {
  Tape tape(Tape::Mode::Inference);
  return loss(tape, tape.constant(x)).value().item();
}

const std::vector<std::int32_t> kLabels = {2, 0, 1, 2, 1};

TEST(Loss, CrossEntropyMatchesNaiveFormula) {
  const Tensor z = support::random_tensor(5, 3, 1, -2.0f, 2.0f);
  EXPECT_NEAR(loss_value([](Tape& t, Var x) { return ops::cross_entropy(t, x, kLabels); }, z),
              naive_cross_entropy(z, kLabels, {}), 1e-6);
  const std::vector<std::int32_t> rows = {4, 1, 4};  // a subset with a repeat
  EXPECT_NEAR(
      loss_value([&](Tape& t, Var x) { return ops::cross_entropy(t, x, kLabels, rows); }, z),
      naive_cross_entropy(z, kLabels, rows), 1e-6);
}

TEST(Loss, CrossEntropyIsStableForLargeLogits) {
  // log(e^1000 + e^999) - 1000 = log(1 + e^-1): finite although e^1000 overflows.
  const Tensor z = Tensor::from_rows({{1000.0f, 999.0f}});
  EXPECT_NEAR(loss_value([](Tape& t, Var x) { return ops::cross_entropy(t, x, {0}); }, z),
              std::log1p(std::exp(-1.0)), 1e-5);
}

TEST(Loss, CrossEntropyAndNllGradients) {
  const Tensor z = support::random_tensor(5, 3, 2, -2.0f, 2.0f);
  for (const std::vector<std::int32_t>& rows :
       {std::vector<std::int32_t>{}, std::vector<std::int32_t>{3, 0, 3}}) {
    EXPECT_TRUE(support::gradient_matches(
        [&](Tape& t, const std::vector<Var>& v) {
          return ops::cross_entropy(t, v[0], kLabels, rows);
        },
        {z}));
    EXPECT_TRUE(support::gradient_matches(
        [&](Tape& t, const std::vector<Var>& v) { return ops::nll_loss(t, v[0], kLabels, rows); },
        {z}));
  }
}

TEST(Loss, NllLossPicksTheLabelledEntries) {
  const Tensor lp = Tensor::from_rows({{-1, -2, -3}, {-4, -5, -6}});
  EXPECT_FLOAT_EQ(loss_value(
                      [](Tape& t, Var x) {
                        return ops::nll_loss(t, x, {2, 0});
                      },
                      lp),
                  (3.0f + 4.0f) / 2.0f);
  EXPECT_FLOAT_EQ(loss_value(
                      [](Tape& t, Var x) {
                        return ops::nll_loss(t, x, {2, 0}, {1});
                      },
                      lp),
                  4.0f);
}

TEST(Loss, UnselectedRowsMayCarryAnyLabel) {
  // Row 1 is not selected, so its label (-1, "unlabelled") is never read.
  const Tensor z = support::random_tensor(2, 3, 3);
  EXPECT_NEAR(loss_value(
                  [](Tape& t, Var x) {
                    return ops::cross_entropy(t, x, {1, -1}, {0});
                  },
                  z),
              naive_cross_entropy(z, {1, 0}, {0}), 1e-6);
}

TEST(Loss, LabelsAndRowsOutOfRangeThrow) {
  Tape tape;
  const Var z = tape.constant(Tensor::zeros(3, 4));
  for (auto* loss : {&ops::cross_entropy, &ops::nll_loss}) {
    const std::string name = loss == &ops::cross_entropy ? "cross_entropy" : "nll_loss";
    EXPECT_TRUE(test::throws_naming<InvalidArgument>([&] { loss(tape, z, {0, 4, 1}, {}); }, name));
    EXPECT_TRUE(test::throws_naming<InvalidArgument>([&] { loss(tape, z, {0, -1, 1}, {}); }, name));
    EXPECT_TRUE(test::throws_naming<InvalidArgument>([&] { loss(tape, z, {0, 1}, {}); }, name));
    EXPECT_TRUE(test::throws_naming<InvalidArgument>([&] { loss(tape, z, {0, 1, 1}, {3}); }, name));
    EXPECT_TRUE(test::throws_naming<InvalidArgument>(
        [&] { loss(tape, tape.constant(Tensor::zeros(0, 4)), {}, {}); }, name));
  }
}

TEST(Loss, NonFiniteLossThrows) {
  Tape tape;
  Tensor z = Tensor::zeros(2, 3);
  z.data()[1] = NAN;
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] {
        ops::cross_entropy(tape, tape.constant(z), {0, 1});
      },
      "cross_entropy"));
  Tensor inf = Tensor::zeros(1, 2);
  inf.data()[0] = -INFINITY;
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] { ops::nll_loss(tape, tape.constant(inf), {0}); }, "nll_loss"));
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] { ops::mse(tape, tape.constant(inf), Tensor::zeros(1, 2)); }, "mse"));
  try {
    ops::cross_entropy(tape, tape.constant(z), {0, 1});
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("not finite"), std::string::npos) << e.what();
  }
}

TEST(Loss, BceWithLogitsMatchesNaiveFormula) {
  const Tensor z = support::random_tensor(4, 3, 4, -3.0f, 3.0f);
  const Tensor t = support::random_tensor(4, 3, 5, 0.0f, 1.0f);
  double expected = 0.0;
  for (Index e = 0; e < z.size(); ++e) {
    const double s = 1.0 / (1.0 + std::exp(-double{z.data()[e]}));
    expected -= t.data()[e] * std::log(s) + (1.0 - t.data()[e]) * std::log(1.0 - s);
  }
  EXPECT_NEAR(loss_value([&](Tape& tape, Var x) { return ops::bce_with_logits(tape, x, t); }, z),
              expected / 12.0, 1e-6);
  // Stable for large logits: z = ±100 with the matching target costs almost nothing.
  EXPECT_NEAR(loss_value(
                  [](Tape& tape, Var x) {
                    return ops::bce_with_logits(tape, x, Tensor::from_rows({{1.0f, 0.0f}}));
                  },
                  Tensor::from_rows({{100.0f, -100.0f}})),
              0.0, 1e-6);
  EXPECT_TRUE(support::gradient_matches(
      [&](Tape& tape, const std::vector<Var>& v) { return ops::bce_with_logits(tape, v[0], t); },
      {z}));
}

TEST(Loss, BceRejectsBadTargets) {
  Tape tape;
  const Var z = tape.constant(Tensor::zeros(2, 2));
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] { ops::bce_with_logits(tape, z, Tensor::full(2, 2, 1.5f)); }, "bce_with_logits"));
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] { ops::bce_with_logits(tape, z, Tensor::zeros(2, 3)); }, "bce_with_logits"));
}

TEST(Loss, MseMatchesHandValueAndGradient) {
  const Tensor p = Tensor::from_rows({{1, 2}, {3, 4}});
  const Tensor target = Tensor::from_rows({{1, 0}, {5, 4}});
  EXPECT_FLOAT_EQ(loss_value([&](Tape& t, Var x) { return ops::mse(t, x, target); }, p),
                  (0.0f + 4.0f + 4.0f + 0.0f) / 4.0f);
  EXPECT_TRUE(support::gradient_matches(
      [&](Tape& t, const std::vector<Var>& v) { return ops::mse(t, v[0], target); },
      {support::random_tensor(2, 2, 6)}));
  Tape tape;
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] { ops::mse(tape, tape.constant(p), Tensor::zeros(2, 1)); }, "mse"));
}

TEST(Loss, L2PenaltySumsSquaresOfEveryVar) {
  Tape tape(Tape::Mode::Inference);
  const Var a = tape.constant(Tensor::from_rows({{1, -2}}));
  const Var b = tape.constant(Tensor::from_rows({{3}, {0.5f}}));
  EXPECT_FLOAT_EQ(ops::l2_penalty(tape, {a, b}, 0.5f).value().item(),
                  0.5f * (1.0f + 4.0f + 9.0f + 0.25f));
  EXPECT_FLOAT_EQ(ops::l2_penalty(tape, {}).value().item(), 0.0f);
  EXPECT_TRUE(support::gradient_matches(
      [](Tape& t, const std::vector<Var>& v) { return ops::l2_penalty(t, v, 0.3f); },
      {support::random_tensor(2, 3, 7), support::random_tensor(3, 1, 8)}));
  Tensor inf = Tensor::ones(1, 1);
  inf.data()[0] = INFINITY;
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] { ops::l2_penalty(tape, {tape.constant(inf)}); }, "l2_penalty"));
}

}  // namespace
}  // namespace moegnn
