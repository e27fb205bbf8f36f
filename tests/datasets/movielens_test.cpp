// SPDX-License-Identifier: Apache-2.0
// MovieLens loaders, shipped and generated splits, and the bipartite graph builders. ml-100k
// counts come from ../shared/datasets/ml-100k/MANIFEST.md; ml-1m is absent there, so its test
// writes a few lines in the 1M format.
#include <algorithm>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "core/error.h"
#include "datasets/movielens.h"
#include "tests/datasets/dataset_test_util.h"
#include "tests/support/data_dir.h"

namespace moegnn::datasets {
namespace {

using testing::TempDir;

std::set<std::int64_t> as_set(const IndexArray64& a) {
  const auto v = a.to_vector();
  return {v.begin(), v.end()};
}

// train and test are disjoint and cover [0, n).
void expect_partition(const RatingsSplit& s, Index n) {
  std::vector<std::int64_t> all = s.train.to_vector();
  const auto test = s.test.to_vector();
  all.insert(all.end(), test.begin(), test.end());
  std::sort(all.begin(), all.end());
  ASSERT_EQ(static_cast<Index>(all.size()), n);
  for (std::size_t i = 0; i < all.size(); ++i) ASSERT_EQ(all[i], static_cast<std::int64_t>(i));
}

TEST(MovieLens, Loads100kAsInManifest) {
  MOEGNN_REQUIRE_DATASET(dir, "ml-100k");
  const RatingsDataset d = load_movielens_100k(dir);
  // ml-100k/MANIFEST.md: 943 users, 1682 items, 100000 ratings, counts per rating value.
  EXPECT_EQ(d.num_users, 943);
  EXPECT_EQ(d.num_items, 1682);
  EXPECT_EQ(d.num_ratings(), 100000);
  std::map<int, int> per_value;
  for (Index r = 0; r < d.num_ratings(); ++r) ++per_value[static_cast<int>(d.rating.host()(r, 0))];
  EXPECT_EQ(per_value,
            (std::map<int, int>{{1, 6110}, {2, 11370}, {3, 27145}, {4, 34174}, {5, 21201}}));
  EXPECT_EQ(d.item_titles.front(), "Toy Story (1995)");
  EXPECT_EQ(d.item_titles[542], "Mis\xc3\xa9rables, Les (1995)");  // Latin-1 0xE9 as UTF-8
  EXPECT_EQ(d.user_ids.front(), 1);
  EXPECT_EQ(d.item_ids.back(), 1682);
  // u.data line 1 is "196 242 3 881250949".
  EXPECT_EQ(d.user_ids[static_cast<std::size_t>(d.user[0])], 196);
  EXPECT_EQ(d.item_ids[static_cast<std::size_t>(d.item[0])], 242);
  EXPECT_EQ(d.timestamp[0], 881250949);
}

TEST(MovieLens, ShippedSplits) {
  MOEGNN_REQUIRE_DATASET(dir, "ml-100k");
  const RatingsDataset d = load_movielens_100k(dir);
  const RatingsSplit u1 = movielens_100k_split(d, dir, "u1");
  EXPECT_EQ(u1.train.size(), 80000);  // manifest: 80000/20000 per fold
  EXPECT_EQ(u1.test.size(), 20000);
  expect_partition(u1, d.num_ratings());
  // mku.sh: fold 1's test set is the first 20000 lines of u.data.
  EXPECT_EQ(u1.test[0], 0);
  EXPECT_EQ(u1.test[19999], 19999);
  const RatingsSplit ua = movielens_100k_split(d, dir, "ua");
  EXPECT_EQ(ua.train.size(), 90570);  // manifest: 10 test ratings per user
  EXPECT_EQ(ua.test.size(), 9430);
  expect_partition(ua, d.num_ratings());
  std::vector<int> per_user(943, 0);
  for (const std::int64_t r : ua.test.host()) ++per_user[static_cast<std::size_t>(d.user[r])];
  EXPECT_TRUE(std::all_of(per_user.begin(), per_user.end(), [](int c) { return c == 10; }));
  EXPECT_THROW(movielens_100k_split(d, dir, "u6"), InvalidArgument);
}

TEST(MovieLens, RandomAndLeaveKOutSplits) {
  MOEGNN_REQUIRE_DATASET(dir, "ml-100k");
  const RatingsDataset d = load_movielens_100k(dir);
  const RatingsSplit r = random_ratings_split(d, 0.2, 3);
  EXPECT_EQ(r.test.size(), 20000);
  expect_partition(r, d.num_ratings());
  EXPECT_EQ(as_set(random_ratings_split(d, 0.2, 3).test), as_set(r.test));
  EXPECT_NE(as_set(random_ratings_split(d, 0.2, 4).test), as_set(r.test));
  const RatingsSplit last = leave_k_out_split(d, 1);
  EXPECT_EQ(last.test.size(), 943);  // every user has >= 20 ratings (README)
  expect_partition(last, d.num_ratings());
  std::vector<std::int64_t> latest(943, -1);
  for (Index k = 0; k < d.num_ratings(); ++k)
    latest[static_cast<std::size_t>(d.user[k])] =
        std::max(latest[static_cast<std::size_t>(d.user[k])], d.timestamp[k]);
  for (const std::int64_t k : last.test.host())
    ASSERT_EQ(d.timestamp[k], latest[static_cast<std::size_t>(d.user[k])]);
  const RatingsSplit random3 = leave_k_out_split(d, 3, LeaveOut::Random, 5);
  EXPECT_EQ(random3.test.size(), 3 * 943);
  EXPECT_THROW(leave_k_out_split(d, 0), InvalidArgument);
  EXPECT_THROW(random_ratings_split(d, 1.5, 0), InvalidArgument);
}

TEST(MovieLens, BipartiteGraphs) {
  MOEGNN_REQUIRE_DATASET(dir, "ml-100k");
  const RatingsDataset d = load_movielens_100k(dir);
  const graph::Csr r = user_item_graph(d, {}, /*weighted=*/true);
  EXPECT_EQ(r.num_rows(), 943);
  EXPECT_EQ(r.num_cols(), 1682);
  EXPECT_EQ(r.num_edges(), 100000);  // no pair is rated twice
  const auto row = r.neighbors(d.user[0]);
  const auto at = std::lower_bound(row.begin(), row.end(), d.item[0]) - row.begin();
  EXPECT_EQ(r.values().host()(r.row_ptr()[d.user[0]] + at, 0), d.rating.host()(0, 0));
  const graph::Csr g = interaction_graph(d, IndexArray64{0, 1, 2});
  EXPECT_EQ(g.num_nodes(), 943 + 1682);
  EXPECT_EQ(g.num_edges(), 6);
  EXPECT_TRUE(testing::symmetric_without_loops(g));
  const auto nbrs = g.neighbors(d.user[0]);
  EXPECT_EQ(nbrs[0], 943 + d.item[0]);
  EXPECT_THROW(user_item_graph(d, IndexArray64{100000}), InvalidArgument);
}

TEST(MovieLens, Loads1mFormatWithIdGaps) {
  TempDir tmp;
  testing::write_text(tmp / "users.dat", "1::F::1::10::48067\n2::M::56::16::70072\n");
  testing::write_text(tmp / "movies.dat",
                      "1::Toy Story (1995)::Animation|Children's|Comedy\n"
                      "10::Caf\xe9 (1999)::Drama\n7::Sabrina (1995)::Comedy|Romance\n");
  testing::write_text(tmp / "ratings.dat",
                      "1::10::5::978300760\n1::7::3::978302109\n2::1::4::978301968\n");
  const RatingsDataset d = load_movielens_1m(tmp.path());
  EXPECT_EQ(d.num_users, 2);
  EXPECT_EQ(d.num_items, 3);
  EXPECT_EQ(d.item_ids, (std::vector<std::int64_t>{1, 10, 7}));
  EXPECT_EQ(d.item.to_vector(), (std::vector<std::int32_t>{1, 2, 0}));
  EXPECT_EQ(d.user.to_vector(), (std::vector<std::int32_t>{0, 0, 1}));
  EXPECT_EQ(d.item_titles[1], "Caf\xc3\xa9 (1999)");
  EXPECT_EQ(d.rating.host()(0, 0), 5.0f);
  testing::write_text(tmp / "ratings.dat", "1::10::5::978300760\n2::11::4::978301968\n");
  EXPECT_THROW_WITH(load_movielens_1m(tmp.path()), IoError, "ratings.dat:2: item 11 not listed");
  testing::write_text(tmp / "movies.dat", "1::A::x\n1::B::y\n");
  EXPECT_THROW_WITH(load_movielens_1m(tmp.path()), IoError, "id 1 repeated");
  std::filesystem::remove(tmp / "users.dat");
  EXPECT_THROW_WITH(load_movielens_1m(tmp.path()), IoError, (tmp / "users.dat").string());
}

TEST(MovieLens, Malformed100kLineNamesFileAndLine) {
  TempDir tmp;
  testing::write_text(tmp / "u.user", "1|24|M|technician|85711\n2|53|F|other|94043\n");
  testing::write_text(tmp / "u.item", "1|Toy Story (1995)|01-Jan-1995||http://x|0\n"
                                      "2|GoldenEye (1995)|01-Jan-1995||http://y|0\n");
  testing::write_text(tmp / "u.data", "1\t1\t5\t881250949\n2\tone\t3\t881250950\n");
  EXPECT_THROW_WITH(load_movielens_100k(tmp.path()), IoError, "u.data: line 2");
  testing::write_text(tmp / "u.data", "1\t1\t5\t881250949\n2\t2\t3\n");
  EXPECT_THROW_WITH(load_movielens_100k(tmp.path()), IoError, "u.data: line 2");
  testing::write_text(tmp / "u.data", "1\t1\t5\t881250949\n2\t2\t3\t881250950\n");
  EXPECT_EQ(load_movielens_100k(tmp.path()).num_ratings(), 2);
}

}  // namespace
}  // namespace moegnn::datasets
