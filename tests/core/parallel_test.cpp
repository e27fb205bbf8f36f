// SPDX-License-Identifier: Apache-2.0
// core/parallel.h: every index visited exactly once, disjoint covering ranges, and
// deterministic_reduce giving the same bits on one and two threads.
#include <algorithm>
#include <cstring>
#include <mutex>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/parallel.h"
#include "core/rng.h"

namespace moegnn {
namespace {

class Parallel : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override { set_num_threads(GetParam()); }
  void TearDown() override { set_num_threads(0); }
};

TEST_P(Parallel, ForVisitsEachIndexOnce) {
  for (Index n : {Index{0}, Index{1}, Index{1000}, Index{100003}}) {
    std::vector<int> visits(static_cast<std::size_t>(n), 0);
    // Distinct indices write distinct elements: no race, no atomics needed.
    parallel_for(
        0, n, [&](Index i) { ++visits[static_cast<std::size_t>(i)]; }, 64);
    EXPECT_TRUE(std::all_of(visits.begin(), visits.end(), [](int v) { return v == 1; })) << n;
  }
  std::vector<int> offset(50, 0);
  parallel_for(
      10, 40, [&](Index i) { ++offset[static_cast<std::size_t>(i)]; }, 4);
  for (Index i = 0; i < 50; ++i) EXPECT_EQ(offset[static_cast<std::size_t>(i)], i >= 10 && i < 40);
}

TEST_P(Parallel, RangesAreDisjointAndCover) {
  std::mutex mutex;
  std::vector<std::pair<Index, Index>> ranges;
  parallel_for_range(
      5, 70005,
      [&](Index lo, Index hi) {
        std::lock_guard lock(mutex);
        ranges.emplace_back(lo, hi);
      },
      1000);
  std::sort(ranges.begin(), ranges.end());
  ASSERT_FALSE(ranges.empty());
  EXPECT_EQ(ranges.front().first, 5);
  EXPECT_EQ(ranges.back().second, 70005);
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    EXPECT_LT(ranges[i].first, ranges[i].second);
    if (i > 0) {
      EXPECT_EQ(ranges[i - 1].second, ranges[i].first);
    }
  }
  int calls = 0;
  parallel_for_range(3, 3, [&](Index, Index) { ++calls; });
  EXPECT_EQ(calls, 0);
}

TEST_P(Parallel, ReduceMatchesFixedChunkSerialSum) {
  // Float sums depend on the order; the reduction must use fixed chunks combined left to right.
  Rng rng(5);
  std::vector<float> x(200001);
  for (float& v : x) v = rng.uniform(-1.0f, 1.0f) * 1000.0f;
  auto chunk_sum = [&](Index lo, Index hi) {
    float s = 0.0f;
    for (Index i = lo; i < hi; ++i) s += x[static_cast<std::size_t>(i)];
    return s;
  };
  const float got = deterministic_reduce(
      Index{0}, static_cast<Index>(x.size()), 0.0f, chunk_sum,
      [](float a, float b) { return a + b; }, 1000);
  float expected = 0.0f;
  for (Index lo = 0; lo < static_cast<Index>(x.size()); lo += 1000)
    expected = expected + chunk_sum(lo, std::min<Index>(lo + 1000, static_cast<Index>(x.size())));
  EXPECT_EQ(std::memcmp(&got, &expected, sizeof(float)), 0) << got << " vs " << expected;
  EXPECT_EQ(deterministic_reduce(Index{4}, Index{4}, 2.5f, chunk_sum,
                                 [](float a, float b) { return a + b; }),
            2.5f);
}

INSTANTIATE_TEST_SUITE_P(Threads, Parallel, ::testing::Values(1, 2),
                         [](const auto& info) { return std::to_string(info.param) + "Threads"; });

TEST(ParallelThreads, SetNumThreadsLimitsAndValidates) {
  set_num_threads(1);
  EXPECT_EQ(num_threads(), 1);
  set_num_threads(0);
  EXPECT_GE(num_threads(), 1);
  EXPECT_THROW(set_num_threads(-1), InvalidArgument);
}

TEST(ParallelThreads, ReduceIsBitIdenticalOnOneAndTwoThreads) {
  Rng rng(9);
  std::vector<float> x(300000);
  for (float& v : x) v = rng.normal() * 1e3f;
  auto reduce = [&](int threads) {
    set_num_threads(threads);
    const float r = deterministic_reduce(
        Index{0}, static_cast<Index>(x.size()), 0.0f,
        [&](Index lo, Index hi) {
          float s = 0.0f;
          for (Index i = lo; i < hi; ++i) s += x[static_cast<std::size_t>(i)];
          return s;
        },
        [](float a, float b) { return a + b; }, 777);
    set_num_threads(0);
    return r;
  };
  const float one = reduce(1);
  const float two = reduce(2);
  EXPECT_EQ(std::memcmp(&one, &two, sizeof(float)), 0) << one << " vs " << two;
}

}  // namespace
}  // namespace moegnn
