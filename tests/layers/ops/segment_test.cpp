// SPDX-License-Identifier: Apache-2.0
// ops::segment_sum / segment_mean: hand-computed values with empty segments, a naive reference,
// gradients by central differences, bit-identical results on 1 and 2 threads, malformed offsets.
#include <gtest/gtest.h>

#include "core/config.h"
#include "core/error.h"
#include "layers/ops/segment.h"
#include "tests/layers/ops/op_fixtures.h"
#include "tests/support/gradcheck.h"

namespace moegnn {
namespace {

using support::all_close;
using support::gradient_matches;
using support::random_tensor;

// Segments of 0, 2, 0, 3 and 1 rows over 6 rows of x.
const graph::EdgeIds& ragged_offsets() {
  static const graph::EdgeIds offsets{0, 0, 2, 2, 5, 6};
  return offsets;
}

TEST(Segment, HandComputedWithEmptySegments) {
  const Tensor x = Tensor::from_rows({{1, 10}, {2, 20}, {3, 30}, {4, 40}, {5, 50}, {6, 60}});
  EXPECT_TRUE(all_close(ops::segment_sum(ragged_offsets(), x),
                        Tensor::from_rows({{0, 0}, {3, 30}, {0, 0}, {12, 120}, {6, 60}})));
  EXPECT_TRUE(all_close(ops::segment_mean(ragged_offsets(), x),
                        Tensor::from_rows({{0, 0}, {1.5f, 15}, {0, 0}, {4, 40}, {6, 60}})));
}

TEST(Segment, MatchesReferenceOnRandomSegments) {
  // 50 segments of 0..6 rows each, 35 columns (two 16-wide blocks and a tail).
  Rng rng(1);
  std::vector<graph::EdgeId> offsets{0};
  for (int s = 0; s < 50; ++s)
    offsets.push_back(offsets.back() + static_cast<graph::EdgeId>(rng.below(7)));
  const Tensor x = random_tensor(offsets.back(), 35, 2);
  const Tensor sum = ops::segment_sum(graph::EdgeIds(offsets), x);
  const Tensor mean = ops::segment_mean(graph::EdgeIds(offsets), x);
  Matrix expected_sum = Matrix::Zero(50, 35);
  Matrix expected_mean = Matrix::Zero(50, 35);
  for (Index s = 0; s < 50; ++s) {
    const Index length = offsets[s + 1] - offsets[s];
    if (length == 0) continue;
    expected_sum.row(s) = x.host().middleRows(offsets[s], length).colwise().sum();
    expected_mean.row(s) = expected_sum.row(s) / static_cast<float>(length);
  }
  EXPECT_TRUE(all_close(sum, Tensor::from(expected_sum), 1e-5f, 1e-5f));
  EXPECT_TRUE(all_close(mean, Tensor::from(expected_mean), 1e-5f, 1e-5f));
}

TEST(Segment, GradientsMatchFiniteDifferences) {
  const Tensor x = random_tensor(6, 3, 3);
  EXPECT_TRUE(gradient_matches(
      [](Tape& t, const std::vector<Var>& v) {
        return ops::segment_sum(t, ragged_offsets(), v[0]);
      },
      {x}));
  EXPECT_TRUE(gradient_matches(
      [](Tape& t, const std::vector<Var>& v) {
        return ops::segment_mean(t, ragged_offsets(), v[0]);
      },
      {x}));
}

TEST(Segment, BitIdenticalOnOneAndTwoThreads) {
  std::vector<graph::EdgeId> offsets{0};
  Rng rng(4);
  for (int s = 0; s < 4000; ++s)
    offsets.push_back(offsets.back() + static_cast<graph::EdgeId>(rng.below(20)));
  const graph::EdgeIds segments(offsets);
  const Tensor x = random_tensor(offsets.back(), 24, 5);
  const auto [one, two] = test::with_one_then_two_threads([&] {
    auto grads = test::value_and_grads(
        [&](Tape& t, const std::vector<Var>& v) { return ops::segment_sum(t, segments, v[0]); },
        {x});
    const auto mean = test::value_and_grads(
        [&](Tape& t, const std::vector<Var>& v) { return ops::segment_mean(t, segments, v[0]); },
        {x});
    grads.insert(grads.end(), mean.begin(), mean.end());
    return grads;
  });
  EXPECT_TRUE(test::same_bits(one, two));
}

TEST(Segment, RejectsMalformedOffsets) {
  const Tensor x = random_tensor(6, 2, 6);
  Tape tape;
  test::expect_error<InvalidArgument>([&] { ops::segment_sum(graph::EdgeIds{}, x); }, "segment_sum",
                                      "offsets are empty");
  test::expect_error<InvalidArgument>(
      [&] {
        ops::segment_sum(graph::EdgeIds{1, 6}, x);
      },
      "segment_sum", "offsets[0] is wrong: 1 vs 0");
  test::expect_error<InvalidArgument>(
      [&] {
        ops::segment_mean(graph::EdgeIds{0, 2, 5}, x);
      },
      "segment_mean", "offsets[S] is wrong: 5 vs 6");
  test::expect_error<InvalidArgument>(
      [&] {
        ops::segment_mean(tape, graph::EdgeIds{0, 4, 3, 6}, tape.constant(x));
      },
      "segment_mean", "offsets decrease at segment 1: 3 vs >= 4");
  test::expect_error<InvalidArgument>(
      [&] {
        ops::segment_sum(test::fake_cuda_indices<graph::EdgeId>({0, 6}), x);
      },
      "segment_sum", "offsets is on the wrong device: cuda vs cpu");
  if constexpr (!build::kWithCuda) {  // a CUDA build would run the kernel on the fake device data
    test::expect_error<Unsupported>(
        [&] {
          ops::segment_sum(test::fake_cuda_indices<graph::EdgeId>({0, 6}),
                           test::fake_cuda_tensor(6, 2));
        },
        "segment_sum", "MOEGNN_WITH_CUDA=OFF");
  }
}

}  // namespace
}  // namespace moegnn
