// SPDX-License-Identifier: Apache-2.0
// Binary elementwise ops with each broadcast shape of the right operand, the scalar ops, and their
// gradients; the broadcast operand's gradient must be the sum over the broadcast axes.
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/linalg.h"
#include "core/ops/reduce.h"
#include "core/tape.h"
#include "tests/core/ops/op_test_util.h"
#include "tests/support/gradcheck.h"

namespace moegnn {
namespace {

using BinaryOp = Var (*)(Tape&, Var, Var);

struct Binary {
  std::string name;
  BinaryOp op;
  std::function<float(float, float)> reference;
};

const std::vector<Binary> kBinary = {
    {"add", &ops::add, [](float x, float y) { return x + y; }},
    {"sub", &ops::sub, [](float x, float y) { return x - y; }},
    {"mul", &ops::mul, [](float x, float y) { return x * y; }},
    {"div", &ops::div, [](float x, float y) { return x / y; }},
};

// b's shapes against a of 3 × 4: full, one row, one column, one value.
const std::vector<std::pair<Index, Index>> kShapes = {{3, 4}, {1, 4}, {3, 1}, {1, 1}};

// Divisors kept away from zero: uniform in [0.5, 1.5).
Tensor operand_b(Index rows, Index cols, std::uint64_t seed) {
  return support::random_tensor(rows, cols, seed, 0.5f, 1.5f);
}

Tensor apply(BinaryOp op, const Tensor& a, const Tensor& b) {
  Tape tape(Tape::Mode::Inference);
  return op(tape, tape.constant(a), tape.constant(b)).value();
}

TEST(Elementwise, BinaryOpsBroadcastLikeTheNaiveLoop) {
  const Tensor a = support::random_tensor(3, 4, 1);
  for (const Binary& bin : kBinary) {
    for (const auto& [rows, cols] : kShapes) {
      const Tensor b = operand_b(rows, cols, 2);
      const Tensor expected = test::make_tensor(3, 4, [&](Index i, Index j) {
        return bin.reference(test::at(a, i, j), test::at(b, rows == 1 ? 0 : i, cols == 1 ? 0 : j));
      });
      EXPECT_TRUE(support::all_close(apply(bin.op, a, b), expected))
          << bin.name << " with b " << rows << " × " << cols;
    }
  }
}

TEST(Elementwise, BinaryGradientsForEveryBroadcast) {
  for (const Binary& bin : kBinary) {
    for (const auto& [rows, cols] : kShapes) {
      EXPECT_TRUE(support::gradient_matches(
          [op = bin.op](Tape& tape, const std::vector<Var>& x) { return op(tape, x[0], x[1]); },
          {support::random_tensor(3, 4, 3), operand_b(rows, cols, 4)}))
          << bin.name << " with b " << rows << " × " << cols;
    }
  }
}

TEST(Elementwise, BroadcastGradientIsTheSumOverBroadcastAxes) {
  // Large enough for several row blocks in the column sums: d(Σ a + b)/db = column sums of ones·R.
  const Index m = 5000, n = 24;
  Parameter a(support::random_tensor(m, n, 5));
  Parameter row(operand_b(1, n, 6));
  Parameter col(operand_b(m, 1, 7));
  Tape tape;
  const Var y = ops::mul(tape, ops::add(tape, tape.param(a), tape.param(row)), tape.param(col));
  const Tensor seed = support::random_tensor(m, n, 8);
  tape.backward(tape.record(Tensor::scalar(0.0f), {y}, [seed](Tape::Step& s) {
    for (Index e = 0; e < seed.size(); ++e) s.grad_in[0]->data()[e] += seed.data()[e];
  }));
  // y = (a + r) · c: dr[j] = Σ_i g[i, j]·c[i]; dc[i] = Σ_j g[i, j]·(a[i, j] + r[j]).
  const Tensor expected_row = test::make_tensor(1, n, [&](Index, Index j) {
    double total = 0.0;
    for (Index i = 0; i < m; ++i) total += double{test::at(seed, i, j)} * test::at(col.value, i, 0);
    return static_cast<float>(total);
  });
  const Tensor expected_col = test::make_tensor(m, 1, [&](Index i, Index) {
    double total = 0.0;
    for (Index j = 0; j < n; ++j)
      total += double{test::at(seed, i, j)} * (test::at(a.value, i, j) + test::at(row.value, 0, j));
    return static_cast<float>(total);
  });
  EXPECT_TRUE(support::all_close(row.grad, expected_row, 1e-3f, 1e-4f));
  EXPECT_TRUE(support::all_close(col.grad, expected_col, 1e-4f, 1e-4f));
}

TEST(Elementwise, AddBiasAddsTheRowToEveryRow) {
  Tape tape(Tape::Mode::Inference);
  const Var y = ops::add_bias(tape, tape.constant(Tensor::from_rows({{1, 2}, {3, 4}})),
                              tape.constant(Tensor::from_rows({{10, 20}})));
  EXPECT_TRUE(support::all_close(y.value(), Tensor::from_rows({{11, 22}, {13, 24}})));
  EXPECT_TRUE(support::gradient_matches(
      [](Tape& t, const std::vector<Var>& x) { return ops::add_bias(t, x[0], x[1]); },
      {support::random_tensor(4, 3, 9), support::random_tensor(1, 3, 10)}));
}

// add_bias_ (in place over a temporary) gives add_bias's values and gradients bit for bit, in the
// buffer it was given, and refuses a value that a rule reads.
TEST(Elementwise, AddBiasInPlaceMatchesAddBias) {
  const Tensor x0 = support::random_tensor(5, 3, 11);
  const Tensor b0 = support::random_tensor(1, 3, 12);
  const Tensor g = support::random_tensor(5, 3, 13);
  const Tensor identity = Tensor::from_rows({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
  Tensor values[2];
  Tensor grads[2][2];
  for (int in_place = 0; in_place < 2; ++in_place) {
    Parameter x(x0.clone(), "x");
    Parameter b(b0.clone(), "b");
    Tape tape;
    // x·I: a temporary that no rule reads (matmul's rule reads its inputs, not its output).
    const Var h = ops::matmul(tape, tape.param(x), tape.constant(identity));
    const float* buffer = h.value().data();
    const Var y = in_place == 1 ? ops::add_bias_(tape, h, tape.param(b))
                                : ops::add_bias(tape, h, tape.param(b));
    if (in_place == 1) {
      EXPECT_EQ(y.value().data(), buffer);
      EXPECT_THROW(h.value(), std::exception);
    }
    values[in_place] = y.value().clone();
    tape.backward(ops::sum(tape, ops::mul(tape, y, tape.constant(g))));
    grads[in_place][0] = x.grad.clone();
    grads[in_place][1] = b.grad.clone();
  }
  for (Index i = 0; i < values[0].size(); ++i) EXPECT_EQ(values[0].data()[i], values[1].data()[i]);
  for (int k = 0; k < 2; ++k) {
    for (Index i = 0; i < grads[0][k].size(); ++i)
      EXPECT_EQ(grads[0][k].data()[i], grads[1][k].data()[i]) << "gradient " << k << " at " << i;
  }
  Parameter x(x0.clone(), "x");
  Tape tape;
  const Var r = ops::relu(tape, tape.param(x));  // relu's rule reads r
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] { ops::add_bias_(tape, r, tape.constant(b0)); }, "add_bias_"));
  EXPECT_NO_THROW(r.value());
}

TEST(Elementwise, ScalarOpsMatchHandValues) {
  Tape tape(Tape::Mode::Inference);
  const Var x = tape.constant(Tensor::from_rows({{1, -2, 0.5f}}));
  EXPECT_TRUE(
      support::all_close(ops::add_scalar(tape, x, 2).value(), Tensor::from_rows({{3, 0, 2.5f}})));
  EXPECT_TRUE(support::all_close(ops::mul_scalar(tape, x, -3).value(),
                                 Tensor::from_rows({{-3, 6, -1.5f}})));
  EXPECT_TRUE(support::all_close(ops::neg(tape, x).value(), Tensor::from_rows({{-1, 2, -0.5f}})));
}

TEST(Elementwise, ScalarOpGradients) {
  const std::vector<Tensor> x = {support::random_tensor(3, 2, 11)};
  EXPECT_TRUE(support::gradient_matches(
      [](Tape& t, const std::vector<Var>& v) { return ops::add_scalar(t, v[0], 1.5f); }, x));
  EXPECT_TRUE(support::gradient_matches(
      [](Tape& t, const std::vector<Var>& v) { return ops::mul_scalar(t, v[0], -2.5f); }, x));
  EXPECT_TRUE(support::gradient_matches(
      [](Tape& t, const std::vector<Var>& v) { return ops::neg(t, v[0]); }, x));
}

TEST(Elementwise, SameVarOnBothSides) {
  // x·x: both gradient contributions land in one buffer: d/dx = 2x.
  EXPECT_TRUE(support::gradient_matches(
      [](Tape& t, const std::vector<Var>& v) { return ops::mul(t, v[0], v[0]); },
      {support::random_tensor(2, 3, 12)}));
}

TEST(Elementwise, RejectsShapesThatDoNotBroadcast) {
  Tape tape;
  const Var a = tape.constant(Tensor::zeros(3, 4));
  for (const Binary& bin : kBinary) {
    for (const auto& [rows, cols] : {std::pair<Index, Index>{2, 4}, {3, 2}, {4, 3}, {1, 3}}) {
      const Var b = tape.constant(Tensor::zeros(rows, cols));
      EXPECT_TRUE(test::throws_naming<InvalidArgument>([&] { bin.op(tape, a, b); }, bin.name))
          << rows << " × " << cols;
    }
  }
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] { ops::add_bias(tape, a, tape.constant(Tensor::zeros(3, 1))); }, "add_bias"));
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] { ops::add_bias(tape, a, tape.constant(Tensor::zeros(1, 1))); }, "add_bias"));
}

}  // namespace
}  // namespace moegnn
