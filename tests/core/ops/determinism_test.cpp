// SPDX-License-Identifier: Apache-2.0
// The kernels that cut work into parallel pieces give bit-identical results on one and on two
// threads: matmul (row blocks and inner split), sums, column sums in a bias gradient, scatter-add
// and dropout. Shapes are chosen large enough that every kernel really splits its work.
#include <functional>
#include <vector>

#include <gtest/gtest.h>

#include "core/ops/cpu/linalg.h"
#include "core/ops/elementwise.h"
#include "core/ops/linalg.h"
#include "core/ops/nn.h"
#include "core/ops/reduce.h"
#include "core/ops/shape.h"
#include "core/parallel.h"
#include "tests/core/ops/op_test_util.h"
#include "tests/support/gradcheck.h"

namespace moegnn {
namespace {

// Restores the default thread count however the test ends.
struct ThreadCountGuard {
  ~ThreadCountGuard() { set_num_threads(0); }
};

// fn() on one thread and on two threads; true when both results agree bit for bit.
testing::AssertionResult same_on_one_and_two_threads(const std::function<Tensor()>& fn) {
  ThreadCountGuard guard;
  set_num_threads(1);
  const Tensor one = fn();
  set_num_threads(2);
  const Tensor two = fn();
  if (test::bitwise_equal(one, two)) return testing::AssertionSuccess();
  return testing::AssertionFailure() << "results differ between 1 and 2 threads";
}

TEST(Determinism, MatmulRowBlocks) {
  const Tensor a = support::random_tensor(3000, 64, 1);
  const Tensor b = support::random_tensor(64, 48, 2);
  ASSERT_LT(ops::cpu::plan_matmul(3000, 48, 64).block_rows, 3000);
  EXPECT_TRUE(same_on_one_and_two_threads([&] { return ops::matmul(a, b); }));
  EXPECT_TRUE(same_on_one_and_two_threads([&] { return ops::matmul(b, a, ops::Transpose::Both); }));
}

TEST(Determinism, MatmulInnerSplit) {
  // Xᵀ·dY with many rows: the weight-gradient shape, split along the inner dimension.
  const Tensor x = support::random_tensor(60000, 8, 3);
  const Tensor dy = support::random_tensor(60000, 6, 4);
  ASSERT_LT(ops::cpu::plan_matmul(8, 6, 60000).depth_chunk, 60000);
  EXPECT_TRUE(
      same_on_one_and_two_threads([&] { return ops::matmul(x, dy, ops::Transpose::Left); }));
}

TEST(Determinism, Sums) {
  const Tensor x = support::random_tensor(5000, 40, 5);
  EXPECT_TRUE(same_on_one_and_two_threads([&] { return ops::sum(x, ops::Over::All); }));
  EXPECT_TRUE(same_on_one_and_two_threads([&] { return ops::sum(x, ops::Over::Rows); }));
}

TEST(Determinism, BiasGradient) {
  const Tensor x = support::random_tensor(20000, 16, 6);
  const Tensor bias = support::random_tensor(1, 16, 7);
  EXPECT_TRUE(same_on_one_and_two_threads([&] {
    Parameter b(bias.clone());
    Tape tape;
    tape.backward(
        ops::sum(tape, ops::mul(tape, ops::add_bias(tape, tape.constant(x), tape.param(b)),
                                tape.constant(x))));
    return b.grad;
  }));
}

TEST(Determinism, ScatterAddRows) {
  const Tensor x = support::random_tensor(100000, 8, 8);
  std::vector<std::int32_t> index(100000);
  for (std::size_t i = 0; i < index.size(); ++i)
    index[i] = static_cast<std::int32_t>((i * 2654435761u) % 5000);
  EXPECT_TRUE(same_on_one_and_two_threads([&] { return ops::scatter_add_rows(x, index, 5000); }));
}

TEST(Determinism, Dropout) {
  const Tensor x = support::random_tensor(400, 300, 9);
  EXPECT_TRUE(same_on_one_and_two_threads([&] {
    Tape tape(Tape::Mode::Inference);
    Rng rng(10);
    return ops::dropout(tape, tape.constant(x), 0.5f, rng, true).value();
  }));
}

}  // namespace
}  // namespace moegnn
