// SPDX-License-Identifier: Apache-2.0
// ops::matmul against the textbook triple loop in every transpose mode, on shapes that take each of
// the kernel's paths (one Eigen call, row blocks, inner-dimension split), plus gradients and
// errors.
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/ops/cpu/linalg.h"
#include "core/ops/linalg.h"
#include "tests/core/ops/op_test_util.h"
#include "tests/support/gradcheck.h"

namespace moegnn {
namespace {

using ops::Transpose;

const std::vector<Transpose> kModes = {Transpose::None, Transpose::Left, Transpose::Right,
                                       Transpose::Both};

bool left(Transpose t) { return t == Transpose::Left || t == Transpose::Both; }
bool right(Transpose t) { return t == Transpose::Right || t == Transpose::Both; }

// Operands for op(a) of m × k and op(b) of k × n, stored transposed where the mode says so.
struct Operands {
  Tensor a;
  Tensor b;
};
Operands operands(Index m, Index k, Index n, Transpose t, std::uint64_t seed) {
  return {left(t) ? support::random_tensor(k, m, seed) : support::random_tensor(m, k, seed),
          right(t) ? support::random_tensor(n, k, seed + 1)
                   : support::random_tensor(k, n, seed + 1)};
}

Tensor reference(const Operands& o, Transpose t) {
  return test::naive_matmul(left(t) ? test::transposed(o.a) : o.a,
                            right(t) ? test::transposed(o.b) : o.b);
}

TEST(Matmul, MatchesNaiveReferenceInEveryTransposeMode) {
  for (const Transpose t : kModes) {
    const Operands o = operands(5, 7, 3, t, 11);
    EXPECT_TRUE(support::all_close(ops::matmul(o.a, o.b, t), reference(o, t), 1e-5f, 1e-5f))
        << "mode " << static_cast<int>(t);
  }
}

TEST(Matmul, HandComputedProduct) {
  const Tensor a = Tensor::from_rows({{1, 2}, {3, 4}});
  const Tensor b = Tensor::from_rows({{5, 6}, {7, 8}});
  EXPECT_TRUE(support::all_close(ops::matmul(a, b), Tensor::from_rows({{19, 22}, {43, 50}})));
  // aᵀ·b = [[1·5+3·7, 1·6+3·8], [2·5+4·7, 2·6+4·8]]
  EXPECT_TRUE(support::all_close(ops::matmul(a, b, Transpose::Left),
                                 Tensor::from_rows({{26, 30}, {38, 44}})));
}

TEST(Matmul, RowBlockedPathMatchesReference) {
  const Index m = 700, k = 96, n = 80;  // 10.8 MFLOP: above the serial threshold
  const ops::cpu::MatmulPlan plan = ops::cpu::plan_matmul(m, n, k);
  ASSERT_LT(plan.block_rows, m);  // the shape really takes the row-block path
  ASSERT_EQ(plan.depth_chunk, k);
  for (const Transpose t : kModes) {
    const Operands o = operands(m, k, n, t, 21);
    EXPECT_TRUE(support::all_close(ops::matmul(o.a, o.b, t), reference(o, t), 1e-4f, 1e-4f))
        << "mode " << static_cast<int>(t);
  }
}

TEST(Matmul, InnerSplitPathMatchesReference) {
  const Index m = 6, k = 70000, n = 9;  // few output rows, long inner dimension (weight gradients)
  const ops::cpu::MatmulPlan plan = ops::cpu::plan_matmul(m, n, k);
  ASSERT_LT(plan.depth_chunk, k);  // the shape really takes the inner-split path
  for (const Transpose t : kModes) {
    const Operands o = operands(m, k, n, t, 31);
    EXPECT_TRUE(support::all_close(ops::matmul(o.a, o.b, t), reference(o, t), 1e-3f, 1e-4f))
        << "mode " << static_cast<int>(t);
  }
}

// Widths up to 64 take the register-tile kernels (no Eigen packing): every vector count (1-4 of
// 16 floats, full and padded), row counts with and without a remainder of the row tile, inner
// dimensions below and above the narrow limit, and long left-transposed products (weight
// gradients), assigned and accumulated.
TEST(Matmul, NarrowKernelsMatchReference) {
  std::uint64_t seed = 50;
  for (const Index n : {Index{1}, Index{5}, Index{16}, Index{17}, Index{32}, Index{48}, Index{64}})
    for (const Index m : {Index{1}, Index{7}, Index{8}, Index{13}, Index{33}})
      for (const Index k : {Index{1}, Index{4}, Index{32}, Index{200}})
        for (const Transpose t : kModes) {
          const Operands o = operands(m, k, n, t, ++seed);
          const Tensor expected = reference(o, t);
          EXPECT_TRUE(support::all_close(ops::matmul(o.a, o.b, t), expected, 1e-4f, 1e-5f))
              << "m " << m << " k " << k << " n " << n << " mode " << static_cast<int>(t);
          Tensor out = support::random_tensor(m, n, seed + 1000);
          const Tensor before = out.clone();
          ops::matmul_accumulate(o.a, o.b, out, t);
          const Tensor sum = test::make_tensor(m, n, [&](Index i, Index j) {
            return test::at(before, i, j) + test::at(expected, i, j);
          });
          EXPECT_TRUE(support::all_close(out, sum, 1e-4f, 1e-5f))
              << "accumulate: m " << m << " k " << k << " n " << n;
        }
  for (const Transpose t : kModes) {  // X^T·dY over many rows: the inner split, narrow slices
    const Operands o = operands(32, 20000, 32, t, 77);
    EXPECT_TRUE(support::all_close(ops::matmul(o.a, o.b, t), reference(o, t), 1e-3f, 1e-4f))
        << "mode " << static_cast<int>(t);
  }
}

TEST(Matmul, AccumulateAddsIntoOutput) {
  for (const Index k : {Index{4}, Index{70000}}) {  // serial path and inner-split path
    const Operands o = operands(3, k, 5, Transpose::Left, 41);
    Tensor out = support::random_tensor(3, 5, 42);
    const Tensor before = out.clone();
    ops::matmul_accumulate(o.a, o.b, out, Transpose::Left);
    const Tensor product = reference(o, Transpose::Left);
    const Tensor expected = test::make_tensor(
        3, 5, [&](Index i, Index j) { return test::at(before, i, j) + test::at(product, i, j); });
    EXPECT_TRUE(support::all_close(out, expected, 1e-3f, 1e-4f)) << "k = " << k;
  }
}

TEST(Matmul, EmptyInnerDimensionGivesZeros) {
  const Tensor out = ops::matmul(Tensor::zeros(3, 0), Tensor::zeros(0, 2));
  EXPECT_TRUE(support::all_close(out, Tensor::zeros(3, 2)));
  EXPECT_EQ(ops::matmul(Tensor::zeros(0, 4), Tensor::zeros(4, 2)).rows(), 0);
}

TEST(Matmul, GradientInEveryTransposeMode) {
  for (const Transpose t : kModes) {
    const Operands o = operands(3, 4, 2, t, 51);
    EXPECT_TRUE(support::gradient_matches(
        [t](Tape& tape, const std::vector<Var>& x) { return ops::matmul(tape, x[0], x[1], t); },
        {o.a, o.b}))
        << "mode " << static_cast<int>(t);
  }
}

TEST(Matmul, GradientWithSharedOperand) {
  // x·xᵀ: both gradients land in the same buffer.
  EXPECT_TRUE(support::gradient_matches(
      [](Tape& tape, const std::vector<Var>& x) {
        return ops::matmul(tape, x[0], x[0], Transpose::Right);
      },
      {support::random_tensor(3, 4, 61)}));
}

TEST(Matmul, RejectsInnerSizeMismatch) {
  const Tensor a = Tensor::zeros(3, 4);
  const Tensor b = Tensor::zeros(5, 2);
  EXPECT_TRUE(test::throws_naming<InvalidArgument>([&] { ops::matmul(a, b); }, "matmul"));
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] { ops::matmul(a, Tensor::zeros(2, 4), Transpose::Both); }, "matmul"));  // k: 3 vs 4
  Tape tape;
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] { ops::matmul(tape, tape.constant(a), tape.constant(b)); }, "matmul"));
}

TEST(Matmul, AccumulateRejectsWrongOutputShape) {
  Tensor out = Tensor::zeros(3, 3);
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] { ops::matmul_accumulate(Tensor::zeros(3, 4), Tensor::zeros(4, 2), out); },
      "matmul_accumulate"));
}

}  // namespace
}  // namespace moegnn
