// SPDX-License-Identifier: Apache-2.0
// Concatenation, slicing, gather and scatter-add against hand-built expectations and naive loops,
// their gradients, and the range/shape errors.
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/ops/shape.h"
#include "tests/core/ops/op_test_util.h"
#include "tests/support/gradcheck.h"

namespace moegnn {
namespace {

Tensor run(const std::function<Var(Tape&, const std::vector<Var>&)>& f,
           const std::vector<Tensor>& inputs) {
  Tape tape(Tape::Mode::Inference);
  std::vector<Var> vars;
  for (const Tensor& t : inputs) vars.push_back(tape.constant(t));
  return f(tape, vars).value();
}

// Naive scatter: out[index[i]] += x[i] in double.
Tensor naive_scatter(const Tensor& x, const std::vector<std::int32_t>& index, Index num_rows) {
  std::vector<double> acc(static_cast<std::size_t>(num_rows * x.cols()), 0.0);
  for (Index i = 0; i < x.rows(); ++i)
    for (Index j = 0; j < x.cols(); ++j)
      acc[static_cast<std::size_t>(index[static_cast<std::size_t>(i)] * x.cols() + j)] +=
          test::at(x, i, j);
  return test::make_tensor(num_rows, x.cols(), [&](Index i, Index j) {
    return static_cast<float>(acc[static_cast<std::size_t>(i * x.cols() + j)]);
  });
}

TEST(Shape, ConcatMatchesHandValues) {
  const Tensor a = Tensor::from_rows({{1, 2}, {3, 4}});
  const Tensor b = Tensor::from_rows({{5, 6}});
  const Tensor c = Tensor::from_rows({{7}, {8}});
  EXPECT_TRUE(support::all_close(
      run([](Tape& t, const std::vector<Var>& v) { return ops::concat_rows(t, v); }, {a, b}),
      Tensor::from_rows({{1, 2}, {3, 4}, {5, 6}})));
  EXPECT_TRUE(support::all_close(
      run([](Tape& t, const std::vector<Var>& v) { return ops::concat_cols(t, v); }, {a, c}),
      Tensor::from_rows({{1, 2, 7}, {3, 4, 8}})));
}

TEST(Shape, SliceMatchesHandValues) {
  const Tensor x = Tensor::from_rows({{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
  EXPECT_TRUE(support::all_close(
      run([](Tape& t, const std::vector<Var>& v) { return ops::slice_rows(t, v[0], 1, 3); }, {x}),
      Tensor::from_rows({{4, 5, 6}, {7, 8, 9}})));
  EXPECT_TRUE(support::all_close(
      run([](Tape& t, const std::vector<Var>& v) { return ops::slice_cols(t, v[0], 0, 2); }, {x}),
      Tensor::from_rows({{1, 2}, {4, 5}, {7, 8}})));
  EXPECT_EQ(
      run([](Tape& t, const std::vector<Var>& v) { return ops::slice_rows(t, v[0], 2, 2); }, {x})
          .rows(),
      0);
}

TEST(Shape, ConcatAndSliceGradients) {
  const std::vector<Tensor> parts = {support::random_tensor(2, 3, 1),
                                     support::random_tensor(4, 3, 2),
                                     support::random_tensor(1, 3, 3)};
  EXPECT_TRUE(support::gradient_matches(
      [](Tape& t, const std::vector<Var>& v) { return ops::concat_rows(t, v); }, parts));
  const std::vector<Tensor> side = {support::random_tensor(3, 2, 4),
                                    support::random_tensor(3, 1, 5)};
  EXPECT_TRUE(support::gradient_matches(
      [](Tape& t, const std::vector<Var>& v) { return ops::concat_cols(t, v); }, side));
  const Tensor x = support::random_tensor(5, 4, 6);
  EXPECT_TRUE(support::gradient_matches(
      [](Tape& t, const std::vector<Var>& v) { return ops::slice_rows(t, v[0], 1, 4); }, {x}));
  EXPECT_TRUE(support::gradient_matches(
      [](Tape& t, const std::vector<Var>& v) { return ops::slice_cols(t, v[0], 1, 3); }, {x}));
}

TEST(Shape, GatherRowsPicksRows) {
  const Tensor x = Tensor::from_rows({{1, 2}, {3, 4}, {5, 6}});
  const IndexArray32 index{2, 0, 2};
  const Tensor expected = Tensor::from_rows({{5, 6}, {1, 2}, {5, 6}});
  EXPECT_TRUE(support::all_close(ops::gather_rows(x, index), expected));
  EXPECT_TRUE(support::all_close(
      run([&](Tape& t, const std::vector<Var>& v) { return ops::gather_rows(t, v[0], index); },
          {x}),
      expected));
}

TEST(Shape, ScatterAddRowsMatchesNaiveLoop) {
  // Unsorted with repeats (the counting-sort path) and sorted (the identity-order path).
  const Tensor x = support::random_tensor(2000, 5, 7);
  std::vector<std::int32_t> unsorted(2000);
  std::vector<std::int32_t> sorted(2000);
  for (std::size_t i = 0; i < unsorted.size(); ++i) {
    unsorted[i] = static_cast<std::int32_t>((i * 7919) % 301);
    sorted[i] = static_cast<std::int32_t>(i / 7);
  }
  EXPECT_TRUE(support::all_close(ops::scatter_add_rows(x, unsorted, 310),
                                 naive_scatter(x, unsorted, 310), 1e-5f, 1e-5f));
  EXPECT_TRUE(support::all_close(ops::scatter_add_rows(x, sorted, 300),
                                 naive_scatter(x, sorted, 300), 1e-5f, 1e-5f));
  EXPECT_TRUE(support::all_close(ops::scatter_add_rows(Tensor::zeros(0, 3), IndexArray32{}, 2),
                                 Tensor::zeros(2, 3)));
}

TEST(Shape, GatherAndScatterGradients) {
  const IndexArray32 repeats{3, 1, 3, 0, 1};  // rows 1 and 3 twice, row 2 never
  EXPECT_TRUE(support::gradient_matches(
      [&](Tape& t, const std::vector<Var>& v) { return ops::gather_rows(t, v[0], repeats); },
      {support::random_tensor(4, 3, 8)}));
  EXPECT_TRUE(support::gradient_matches(
      [&](Tape& t, const std::vector<Var>& v) {
        return ops::scatter_add_rows(t, v[0], repeats, 5);
      },
      {support::random_tensor(5, 3, 9)}));
}

TEST(Shape, RejectsBadIndices) {
  const Tensor x = Tensor::zeros(3, 2);
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] {
        ops::gather_rows(x, IndexArray32{0, 3});
      },
      "gather_rows"));
  EXPECT_TRUE(test::throws_naming<InvalidArgument>([&] { ops::gather_rows(x, IndexArray32{-1}); },
                                                   "gather_rows"));
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] {
        ops::scatter_add_rows(x, IndexArray32{0, 1, 4}, 4);
      },
      "scatter_add_rows"));
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] {
        ops::scatter_add_rows(x, IndexArray32{0, 1}, 4);
      },
      "scatter_add_rows"));
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] {
        ops::scatter_add_rows(x, IndexArray32{0, 1, 2}, -1);
      },
      "scatter_add_rows"));
  Tape tape;
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] { ops::gather_rows(tape, tape.constant(x), IndexArray32{5}); }, "gather_rows"));
}

TEST(Shape, RejectsBadRangesAndParts) {
  Tape tape;
  const Var x = tape.constant(Tensor::zeros(3, 4));
  const Var y = tape.constant(Tensor::zeros(2, 3));
  EXPECT_TRUE(
      test::throws_naming<InvalidArgument>([&] { ops::slice_rows(tape, x, 2, 1); }, "slice_rows"));
  EXPECT_TRUE(
      test::throws_naming<InvalidArgument>([&] { ops::slice_rows(tape, x, 0, 4); }, "slice_rows"));
  EXPECT_TRUE(
      test::throws_naming<InvalidArgument>([&] { ops::slice_cols(tape, x, -1, 2); }, "slice_cols"));
  EXPECT_TRUE(
      test::throws_naming<InvalidArgument>([&] { ops::concat_rows(tape, {}); }, "concat_rows"));
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] {
        ops::concat_rows(tape, {x, y});
      },
      "concat_rows"));
  EXPECT_TRUE(test::throws_naming<InvalidArgument>(
      [&] {
        ops::concat_cols(tape, {x, y});
      },
      "concat_cols"));
}

}  // namespace
}  // namespace moegnn
