// SPDX-License-Identifier: Apache-2.0
// Rng: determinism, fork/split independence, below() range and uniformity (chi-square), normal()
// moments, and bits() giving the same values whichever thread draws them. All seeds are fixed, so
// the statistical bounds are checked once and cannot flake.
#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/parallel.h"
#include "core/rng.h"

namespace moegnn {
namespace {

std::vector<std::uint64_t> draws(Rng& rng, int n) {
  std::vector<std::uint64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(rng.next_u64());
  return out;
}

TEST(Rng, SameSeedSameStream) {
  Rng a(123);
  Rng b(123);
  Rng c(124);
  const auto da = draws(a, 100);
  EXPECT_EQ(da, draws(b, 100));
  EXPECT_NE(da, draws(c, 100));
  EXPECT_EQ(a.counter(), 100U);
  EXPECT_EQ(Rng().seed(), Rng::kDefaultSeed);
}

TEST(Rng, SetStateReplays) {
  Rng a(7);
  draws(a, 10);
  const std::uint64_t counter = a.counter();
  const auto next = draws(a, 5);
  Rng b(0);
  b.set_state(7, counter);
  EXPECT_EQ(draws(b, 5), next);
}

TEST(Rng, ForkIsDeterministicAndIndependent) {
  Rng a(99);
  Rng b(99);
  Rng child_a = a.fork();
  Rng child_b = b.fork();
  const auto ca = draws(child_a, 50);
  EXPECT_EQ(ca, draws(child_b, 50));  // same parent state, same child
  EXPECT_NE(ca, draws(a, 50));        // the child is not the parent's continuation
  Rng second = a.fork();
  EXPECT_NE(ca, draws(second, 50));  // successive forks differ
  EXPECT_NE(Rng(5).split(), Rng(6).split());
}

TEST(Rng, UniformStaysInRange) {
  Rng rng(3);
  for (int i = 0; i < 10000; ++i) {
    const float u = rng.uniform();
    ASSERT_GE(u, 0.0f);
    ASSERT_LT(u, 1.0f);
    const float v = rng.uniform(-2.0f, 3.0f);
    ASSERT_GE(v, -2.0f);
    ASSERT_LT(v, 3.0f);
  }
  EXPECT_LT(Rng::to_unit(~std::uint64_t{0}), 1.0f);
  EXPECT_EQ(Rng::to_unit(0), 0.0f);
}

TEST(Rng, BelowIsInRangeAndUniform) {
  constexpr int kBuckets = 10;
  constexpr int kDraws = 100000;
  Rng rng(2024);
  std::vector<int> counts(kBuckets, 0);
  for (int i = 0; i < kDraws; ++i) {
    const std::uint64_t k = rng.below(kBuckets);
    ASSERT_LT(k, static_cast<std::uint64_t>(kBuckets));
    ++counts[static_cast<std::size_t>(k)];
  }
  // Chi-square with 9 degrees of freedom: P(χ² > 33.7) ≈ 1e-4 for a uniform source.
  const double expected = static_cast<double>(kDraws) / kBuckets;
  double chi2 = 0.0;
  for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
  EXPECT_LT(chi2, 33.7);
  EXPECT_EQ(rng.below(1), 0U);
  EXPECT_THROW(rng.below(0), InvalidArgument);
  // A range that is not a power of two close to 2^64 exercises the rejection branch.
  const std::uint64_t big = (std::uint64_t{1} << 63) + 12345;
  for (int i = 0; i < 1000; ++i) ASSERT_LT(rng.below(big), big);
}

TEST(Rng, NormalHasUnitMoments) {
  Rng rng(11);
  constexpr int kSamples = 100000;
  double sum = 0.0;
  double sum_sq = 0.0;
  for (int i = 0; i < kSamples; ++i) {
    const double x = rng.normal();
    ASSERT_TRUE(std::isfinite(x));
    sum += x;
    sum_sq += x * x;
  }
  const double mean = sum / kSamples;
  const double stddev = std::sqrt(sum_sq / kSamples - mean * mean);
  // Standard errors: 1/√n ≈ 0.0032 for the mean, ≈ 0.0022 for the std; bounds are 6σ.
  EXPECT_NEAR(mean, 0.0, 0.02);
  EXPECT_NEAR(stddev, 1.0, 0.015);
}

TEST(Rng, BitsAreTheSameOnAnyThread) {
  constexpr Index kCount = 50000;
  const std::uint64_t key = Rng(77).split();
  std::vector<std::uint64_t> serial(kCount);
  for (Index i = 0; i < kCount; ++i)
    serial[static_cast<std::size_t>(i)] = Rng::bits(key, static_cast<std::uint64_t>(i));
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    std::vector<std::uint64_t> parallel(kCount);
    parallel_for(
        0, kCount,
        [&](Index i) {
          parallel[static_cast<std::size_t>(i)] = Rng::bits(key, static_cast<std::uint64_t>(i));
        },
        256);
    EXPECT_EQ(parallel, serial) << threads << " threads";
  }
  set_num_threads(0);
  EXPECT_NE(Rng::bits(key, 0), Rng::bits(key + 1, 0));
  EXPECT_NE(Rng::bits(key, 0), Rng::bits(key, 1));
}

}  // namespace
}  // namespace moegnn
