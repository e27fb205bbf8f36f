// SPDX-License-Identifier: Apache-2.0
// BPR: the sampler (every interaction once, negatives never among the user's training items,
// deterministic for a seed on any thread count) and the fused loss / L2 nodes (value against a
// direct computation, gradient against central differences).
#include <cmath>
#include <set>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/parallel.h"
#include "datasets/interactions.h"
#include "models/rec/bpr.h"
#include "models/rec/user_items.h"
#include "tests/support/gradcheck.h"

namespace moegnn::rec {
namespace {

// 4 users × 6 items; user 3 has all items but one (its negative is forced to item 5).
graph::Csr lists() {
  return datasets::make_user_items(4, 6, std::vector<std::int32_t>{0, 0, 1, 2, 2, 2, 3, 3, 3, 3, 3},
                                   std::vector<std::int32_t>{1, 3, 0, 5, 2, 4, 0, 1, 2, 3, 4});
}

TEST(BprSampler, EveryInteractionOnceNegativesOutsideTraining) {
  const graph::Csr train = lists();
  const BprSampler sampler(train, 6);
  Rng rng(5);
  const std::vector<BprBatch> batches = sampler.epoch(rng, 4);
  ASSERT_EQ(batches.size(), 3u);  // 11 triples in 4 + 4 + 3
  std::multiset<std::pair<int, int>> seen;
  for (const BprBatch& b : batches)
    for (Index k = 0; k < b.size(); ++k) {
      const int u = b.users[k], p = b.pos[k] - 4, n = b.neg[k] - 4;
      EXPECT_TRUE(has_item(train, u, p));
      EXPECT_FALSE(has_item(train, u, n)) << "user " << u << " negative " << n;
      if (u == 3) {
        EXPECT_EQ(n, 5);
      }
      seen.insert({u, p});
    }
  EXPECT_EQ(seen.size(), 11u);
  const std::set<std::pair<int, int>> distinct(seen.begin(), seen.end());
  EXPECT_EQ(distinct.size(), 11u);
}

TEST(BprSampler, SameSeedSameEpochOnAnyThreadCount) {
  const graph::Csr train = lists();
  const BprSampler sampler(train, 6);
  Rng a(9), b(9), c(10);
  set_num_threads(1);
  const auto x = sampler.epoch(a, 3);
  set_num_threads(0);
  const auto y = sampler.epoch(b, 3);
  const auto z = sampler.epoch(c, 3);
  bool differs = false;
  for (std::size_t k = 0; k < x.size(); ++k) {
    EXPECT_EQ(x[k].users.to_vector(), y[k].users.to_vector());
    EXPECT_EQ(x[k].neg.to_vector(), y[k].neg.to_vector());
    differs |= x[k].neg.to_vector() != z[k].neg.to_vector() ||
               x[k].users.to_vector() != z[k].users.to_vector();
  }
  EXPECT_TRUE(differs);
}

TEST(BprSampler, RejectsUserWithEveryItem) {
  const graph::Csr full = datasets::make_user_items(1, 2, std::vector<std::int32_t>{0, 0},
                                                    std::vector<std::int32_t>{0, 1});
  EXPECT_THROW(BprSampler(full, 2), InvalidArgument);
  const graph::Csr train = lists();
  Rng rng(1);
  EXPECT_THROW(BprSampler(train, 6).epoch(rng, 0), InvalidArgument);
}

BprBatch small_batch() {
  return {IndexArray32({0, 1, 0}), IndexArray32({3, 4, 5}), IndexArray32({4, 2, 3})};
}

TEST(BprLoss, MatchesDirectComputation) {
  const Tensor z = support::random_tensor(6, 3, 11);
  Tape tape;
  const Var loss = bpr_loss(tape, tape.constant(z), small_batch());
  const auto h = z.host();
  const int u[] = {0, 1, 0}, p[] = {3, 4, 5}, n[] = {4, 2, 3};
  double expected = 0.0, l2 = 0.0;
  for (int b = 0; b < 3; ++b) {
    const double x = h.row(u[b]).dot(h.row(n[b])) - h.row(u[b]).dot(h.row(p[b]));
    expected += std::log(1.0 + std::exp(x)) / 3.0;
    l2 += 0.5 *
          (h.row(u[b]).squaredNorm() + h.row(p[b]).squaredNorm() + h.row(n[b]).squaredNorm()) / 3.0;
  }
  EXPECT_NEAR(loss.value().data()[0], expected, 1e-6);
  EXPECT_NEAR(bpr_l2(tape, tape.constant(z), small_batch()).value().data()[0], l2, 1e-6);
}

TEST(BprLoss, GradientsMatchFiniteDifferences) {
  const Tensor z = support::random_tensor(6, 3, 12);
  EXPECT_TRUE(support::gradient_matches(
      [](Tape& t, const std::vector<Var>& in) { return bpr_loss(t, in[0], small_batch()); }, {z}));
  EXPECT_TRUE(support::gradient_matches(
      [](Tape& t, const std::vector<Var>& in) { return bpr_l2(t, in[0], small_batch()); }, {z}));
}

TEST(BprLoss, RejectsRowOutOfRange) {
  Tape tape;
  const BprBatch bad{IndexArray32({0}), IndexArray32({9}), IndexArray32({1})};
  EXPECT_THROW(bpr_loss(tape, tape.constant(Tensor::zeros(6, 2)), bad), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::rec
