// SPDX-License-Identifier: Apache-2.0
// Full-ranking metrics: a hand-computed example, the −∞ mask (where Sheaf4Rec's 0-mask would
// rank a training item), invariance to the user-block size and the thread count, and the errors
// (K out of range, an empty split). The numpy oracle is tests/interop/ranking_metrics_test.py.
#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/parallel.h"
#include "core/rng.h"
#include "datasets/interactions.h"
#include "models/rec/ranking.h"
#include "tests/support/gradcheck.h"

namespace moegnn::rec {
namespace {

graph::Csr lists(Index users, Index items, std::vector<std::int32_t> u,
                 std::vector<std::int32_t> i) {
  return datasets::make_user_items(users, items, u, i);
}

// One user, 1-d embeddings: item scores are -1, -2, 3, 2, 1 (user embedding 1). Item 0 is a
// training item; a 0-mask would rank it 4th (score 0 > -2), −∞ drops it. Held out: items 3 and 4.
TEST(Ranking, HandExampleWithMask) {
  Tensor users = Tensor::zeros(1, 1);
  users.data()[0] = 1.0f;
  Tensor items = Tensor::zeros(5, 1);
  const float s[] = {-1, -2, 3, 2, 1};
  std::copy(s, s + 5, items.data());
  const graph::Csr train = lists(1, 5, {0}, {0});
  const graph::Csr test = lists(1, 5, {0, 0}, {3, 4});
  const RankingMetrics m = evaluate_ranking(users, items, train, test, {1, 2, 4});
  // Ranking: 2, 3, 4, 1 (item 0 masked). Hits at ranks 2 and 3.
  EXPECT_DOUBLE_EQ(m.at("recall", 1), 0.0);
  EXPECT_DOUBLE_EQ(m.at("recall", 2), 0.5);
  EXPECT_DOUBLE_EQ(m.at("precision", 2), 0.5);
  EXPECT_DOUBLE_EQ(m.at("precision", 4), 0.5);
  EXPECT_DOUBLE_EQ(m.at("hr", 2), 1.0);
  EXPECT_DOUBLE_EQ(m.at("mrr", 4), 0.5);
  const double idcg = 1.0 + 1.0 / std::log2(3.0);
  EXPECT_NEAR(m.at("ndcg", 4), (1.0 / std::log2(3.0) + 0.5) / idcg, 1e-12);
  EXPECT_NEAR(m.at("f1", 2), 0.5, 1e-12);
  EXPECT_EQ(top_k_items(users, items, train, 0, 4), (std::vector<std::int32_t>{2, 3, 4, 1}));
  EXPECT_EQ(m.num_users, 1);
}

TEST(Ranking, SameOnAnyBlockingAndThreadCount) {
  const Index U = 300, I = 50;
  const Tensor users = support::random_tensor(U, 8, 1);
  const Tensor items = support::random_tensor(I, 8, 2);
  std::vector<std::int32_t> tu, ti, hu, hi;
  Rng rng(3);
  for (Index u = 0; u < U; ++u)
    for (Index i = 0; i < I; ++i) {
      const float r = rng.uniform();
      if (r < 0.2f) {
        tu.push_back(static_cast<int>(u));
        ti.push_back(static_cast<int>(i));
      } else if (r < 0.3f) {
        hu.push_back(static_cast<int>(u));
        hi.push_back(static_cast<int>(i));
      }
    }
  const graph::Csr train = lists(U, I, tu, ti), test = lists(U, I, hu, hi);
  set_num_threads(1);
  const RankingMetrics a = evaluate_ranking(users, items, train, test, {5, 10, 20});
  set_num_threads(0);
  const RankingMetrics b = evaluate_ranking(users, items, train, test, {5, 10, 20});
  EXPECT_EQ(a.ndcg, b.ndcg);
  EXPECT_EQ(a.recall, b.recall);
  EXPECT_EQ(a.mrr, b.mrr);
  // A user's row of the batched evaluation equals ranking that user alone.
  const RankingMetrics one = evaluate_ranking(users.clone(), items, train, test, {10});
  EXPECT_DOUBLE_EQ(one.at("ndcg", 10), a.at("ndcg", 10));
}

// top_k_items against a full sort (score descending, then item id), on rows whose length is not a
// multiple of the scan's 64-score chunks, with many tied scores (1-d embeddings on a coarse grid)
// and training items excluded: the chunked threshold scan must keep exactly the sort's first K.
TEST(Ranking, TopKEqualsAFullSortWithTiesAndExclusions) {
  const Index items = 1000 + 37;
  Tensor user = Tensor::zeros(1, 1);
  user.data()[0] = 1.0f;
  Tensor item = Tensor::zeros(items, 1);
  Rng rng(7);
  for (Index i = 0; i < items; ++i) item.data()[i] = static_cast<float>(rng.below(50)) * 0.5f;
  std::vector<std::int32_t> eu, ei;
  for (std::int32_t i = 3; i < items; i += 11) {
    eu.push_back(0);
    ei.push_back(i);
  }
  const graph::Csr exclude = lists(1, items, eu, ei);
  for (const Index k : {Index{1}, Index{10}, Index{64}, Index{100}}) {
    std::vector<std::int32_t> order;
    for (std::int32_t i = 0; i < items; ++i)
      if ((i - 3) % 11 != 0 || i < 3) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
      return item.data()[a] > item.data()[b];
    });
    order.resize(static_cast<std::size_t>(k));
    EXPECT_EQ(top_k_items(user, item, exclude, 0, k), order) << "K " << k;
  }
}

TEST(Ranking, RejectsBadKAndEmptySplit) {
  const Tensor users = support::random_tensor(2, 3, 1);
  const Tensor items = support::random_tensor(4, 3, 2);
  const graph::Csr train = lists(2, 4, {0}, {1});
  const graph::Csr test = lists(2, 4, {1}, {2});
  try {
    evaluate_ranking(users, items, train, test, {5});
    FAIL() << "no error";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("K 5 vs [1, 4]"), std::string::npos) << e.what();
  }
  EXPECT_THROW(evaluate_ranking(users, items, train, test, {0}), InvalidArgument);
  EXPECT_THROW(evaluate_ranking(users, items, train, lists(2, 4, {}, {}), {2}), InvalidArgument);
  EXPECT_THROW(top_k_items(users, items, train, 2, 1), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::rec
