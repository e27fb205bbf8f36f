// SPDX-License-Identifier: Apache-2.0
// ops::edge_softmax: hand-computed and naive references per head, stability for large logits,
// gradients by central differences, bit-identical results on 1 and 2 threads, bad input.
#include <cmath>

#include <gtest/gtest.h>

#include "core/config.h"
#include "core/error.h"
#include "layers/ops/edge_softmax.h"
#include "tests/layers/ops/op_fixtures.h"
#include "tests/support/gradcheck.h"

namespace moegnn {
namespace {

using support::all_close;
using support::gradient_matches;
using support::random_tensor;

// Softmax over each row's edges per head, in double, without the max shift (inputs are small).
Tensor reference_softmax(const graph::Csr& a, const Tensor& logits) {
  const Index heads = logits.cols();
  Tensor out = Tensor::zeros(logits.rows(), heads);
  const auto ptr = a.row_ptr().host();
  for (Index i = 0; i < a.num_rows(); ++i) {
    for (Index h = 0; h < heads; ++h) {
      double total = 0.0;
      for (graph::EdgeId k = ptr[i]; k < ptr[i + 1]; ++k)
        total += std::exp(static_cast<double>(logits.data()[k * heads + h]));
      for (graph::EdgeId k = ptr[i]; k < ptr[i + 1]; ++k)
        out.data()[k * heads + h] =
            static_cast<float>(std::exp(static_cast<double>(logits.data()[k * heads + h])) / total);
    }
  }
  return out;
}

TEST(EdgeSoftmax, HandComputedOnDiamond) {
  // Rows 1 and 2 hold one edge each (weight 1); row 3 holds edges 2, 3, 4 with logits 0, ln 2, ln
  // 5, so the weights are 1/8, 2/8, 5/8.
  const Tensor logits = Tensor::from_rows({{3}, {-4}, {0}, {std::log(2.0f)}, {std::log(5.0f)}});
  EXPECT_TRUE(all_close(ops::edge_softmax(test::diamond(), logits),
                        Tensor::from_rows({{1}, {1}, {0.125f}, {0.25f}, {0.625f}})));
}

TEST(EdgeSoftmax, MatchesReferencePerHeadAndRowsSumToOne) {
  const graph::Csr a = test::random_graph(40, 30, 0.2, 1);
  const Tensor logits = random_tensor(a.num_edges(), 3, 2, -3.0f, 3.0f);
  const Tensor s = ops::edge_softmax(a, logits);
  EXPECT_TRUE(all_close(s, reference_softmax(a, logits), 1e-6f, 1e-5f));
  for (Index i = 0; i < a.num_rows(); ++i) {
    if (a.degree(i) == 0) continue;
    for (Index h = 0; h < 3; ++h) {
      float total = 0.0f;
      for (graph::EdgeId k = a.row_ptr()[i]; k < a.row_ptr()[i + 1]; ++k)
        total += s.data()[k * 3 + h];
      EXPECT_NEAR(total, 1.0f, 1e-5f) << "row " << i << " head " << h;
    }
  }
}

TEST(EdgeSoftmax, StableForLargeLogits) {
  // exp(1000) overflows float; subtracting the row max keeps the result exact: row 3 gets
  // softmax(1000, 1001, 1002) = softmax(0, 1, 2).
  const Tensor big = Tensor::from_rows({{1000}, {-1000}, {1000}, {1001}, {1002}});
  const Tensor small = Tensor::from_rows({{0}, {0}, {0}, {1}, {2}});
  EXPECT_TRUE(all_close(ops::edge_softmax(test::diamond(), big),
                        reference_softmax(test::diamond(), small), 1e-6f, 1e-5f));
}

TEST(EdgeSoftmax, GradientMatchesFiniteDifferences) {
  const graph::Csr a = test::random_graph(8, 7, 0.5, 3);
  const auto f = [&](Tape& tape, const std::vector<Var>& v) {
    return ops::edge_softmax(tape, a, v[0]);
  };
  EXPECT_TRUE(gradient_matches(f, {random_tensor(a.num_edges(), 2, 4)}));
}

TEST(EdgeSoftmax, BitIdenticalOnOneAndTwoThreads) {
  const graph::Csr a = test::random_graph(3000, 2000, 0.01, 5);
  const Tensor logits = random_tensor(a.num_edges(), 4, 6);
  const auto [one, two] = test::with_one_then_two_threads([&] {
    return test::value_and_grads(
        [&](Tape& t, const std::vector<Var>& v) { return ops::edge_softmax(t, a, v[0]); },
        {logits});
  });
  EXPECT_TRUE(test::same_bits(one, two));
}

TEST(EdgeSoftmax, RejectsBadInput) {
  const graph::Csr a = test::diamond();
  Tape tape;
  test::expect_error<InvalidArgument>([&] { ops::edge_softmax(a, random_tensor(4, 1, 1)); },
                                      "edge_softmax",
                                      "logits has the wrong number of rows: 4 vs 5");
  test::expect_error<InvalidArgument>(
      [&] { ops::edge_softmax(tape, a, tape.constant(random_tensor(6, 2, 1))); }, "edge_softmax",
      "logits has the wrong number of rows: 6 vs 5");
  test::expect_error<InvalidArgument>([&] { ops::edge_softmax(a, test::fake_cuda_tensor(5, 1)); },
                                      "edge_softmax", "logits is on the wrong device: cuda vs cpu");
  if constexpr (!build::kWithCuda) {  // a CUDA build would run the kernel on the fake device data
    test::expect_error<Unsupported>(
        [&] { ops::edge_softmax(test::fake_cuda_graph(a), test::fake_cuda_tensor(5, 1)); },
        "edge_softmax", "MOEGNN_WITH_CUDA=OFF");
  }
}

}  // namespace
}  // namespace moegnn
