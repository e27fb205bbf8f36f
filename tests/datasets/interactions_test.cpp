// SPDX-License-Identifier: Apache-2.0
// Implicit-feedback data for recommendation: the ratings table reader (separators, header
// detection, errors naming file and line), the rating threshold, the three-way / stratified /
// leave-last-out splits, cold-start filtering and the training bipartite graph. Facebook Books
// counts come from ../shared/datasets/facebook-books/MANIFEST.md.
#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "core/error.h"
#include "datasets/interactions.h"
#include "datasets/ratings_generator.h"
#include "datasets/ratings_table.h"
#include "tests/datasets/dataset_test_util.h"
#include "tests/support/data_dir.h"

namespace moegnn::datasets {
namespace {

using testing::symmetric_without_loops;
using testing::write_text;

std::filesystem::path temp_file(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::path(::testing::TempDir()) / name;
  write_text(path, text);
  return path;
}

RatingsDataset generated(Index users = 60, Index items = 40, Index ratings = 900) {
  RatingsGeneratorOptions o;
  o.num_users = users;
  o.num_items = items;
  o.num_ratings = ratings;
  o.min_ratings_per_user = 5;
  return generate_ratings(o);
}

TEST(RatingsTable, ReadsCsvWithHeaderAndRelabelsIdsInOrder) {
  const auto path = temp_file(
      "ratings.csv", "userId,movieId,rating,timestamp\n7,30,4.0,100\n3,10,2.5,90\n7,10,5,80\n");
  const RatingsDataset d = load_ratings_table(path);
  EXPECT_EQ(d.name, "ratings");
  ASSERT_EQ(d.num_ratings(), 3);
  EXPECT_EQ(d.user_ids, (std::vector<std::int64_t>{3, 7}));
  EXPECT_EQ(d.item_ids, (std::vector<std::int64_t>{10, 30}));
  EXPECT_EQ(d.user.to_vector(), (std::vector<std::int32_t>{1, 0, 1}));
  EXPECT_EQ(d.item.to_vector(), (std::vector<std::int32_t>{1, 0, 0}));
  EXPECT_FLOAT_EQ(d.rating.data()[1], 2.5f);
  EXPECT_EQ(d.timestamp.to_vector()[2], 80);
}

TEST(RatingsTable, ReadsTsvWithoutHeaderAndTwoColumnCsv) {
  const RatingsDataset tsv =
      load_ratings_table(temp_file("fb.tsv", "1\t1\t1.0\n1\t2\t1.0\n2\t2\t1.0\n"));
  EXPECT_EQ(tsv.num_ratings(), 3);
  EXPECT_EQ(tsv.num_users, 2);
  const RatingsDataset pairs = load_ratings_table(temp_file("pairs.csv", "user,item\n5,6\n5,7\n"));
  EXPECT_EQ(pairs.num_ratings(), 2);
  EXPECT_FLOAT_EQ(pairs.rating.data()[0], 1.0f);
}

TEST(RatingsTable, MalformedLineNamesFileAndLine) {
  const auto path = temp_file("bad.csv", "u,i,r\n1,2,3\n1,x,4\n");
  try {
    load_ratings_table(path);
    FAIL() << "no error";
  } catch (const IoError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("bad.csv"), std::string::npos) << m;
    EXPECT_NE(m.find("line 3"), std::string::npos) << m;
  }
  try {
    load_ratings_table(temp_file("five.csv", "1,2,3,4,5\n"));
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("five.csv: line 1: 5 fields"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(load_ratings_table(temp_file("empty.csv", "user,item\n")), IoError);
}

TEST(RatingsTable, FilterKeepsRatingsAtOrAboveThreshold) {
  const RatingsDataset d = load_ratings_table(temp_file("t.csv", "1,1,2\n1,2,3\n2,1,5\n2,2,1\n"));
  const RatingsDataset f = filter_ratings(d, 3.0f);
  EXPECT_EQ(f.num_ratings(), 2);
  EXPECT_EQ(f.num_users, 2);
  EXPECT_EQ(f.item.to_vector(), (std::vector<std::int32_t>{1, 0}));
}

TEST(RatingsSplit3, RandomThreeWayPartitionsWithFractions) {
  const RatingsDataset d = generated();
  const RatingsSplit s = random_ratings_split(d, 0.1, 0.1, 7);
  EXPECT_EQ(s.test.size(), 90);
  EXPECT_EQ(s.val.size(), 90);
  EXPECT_EQ(s.train.size(), 720);
  std::set<std::int64_t> all;
  for (const auto* a : {&s.train, &s.val, &s.test})
    for (const auto r : a->to_vector()) all.insert(r);
  EXPECT_EQ(static_cast<Index>(all.size()), d.num_ratings());
  EXPECT_EQ(random_ratings_split(d, 0.1, 0.1, 7).val.to_vector(), s.val.to_vector());
  EXPECT_NE(random_ratings_split(d, 0.1, 0.1, 8).val.to_vector(), s.val.to_vector());
  EXPECT_THROW(random_ratings_split(d, 0.6, 0.6, 1), InvalidArgument);
}

TEST(RatingsSplit3, StratifiedKeepsEachUsersShare) {
  const RatingsDataset d = generated();
  const RatingsSplit s = stratified_ratings_split(d, 0.75, 3);
  EXPECT_TRUE(s.val.empty());
  std::vector<Index> train(static_cast<std::size_t>(d.num_users)), all(train.size());
  for (const auto r : s.train.to_vector()) ++train[static_cast<std::size_t>(d.user[r])];
  for (Index r = 0; r < d.num_ratings(); ++r) ++all[static_cast<std::size_t>(d.user[r])];
  for (std::size_t u = 0; u < all.size(); ++u)
    EXPECT_EQ(train[u], std::llround(0.75 * static_cast<double>(all[u]))) << "user " << u;
}

TEST(RatingsSplit3, StratifiedValidationComesFromTrainAndKeepsTheTest) {
  const RatingsDataset d = generated();
  const RatingsSplit two = stratified_ratings_split(d, 0.75, 3);
  const RatingsSplit s = stratified_ratings_split(d, 0.75, 0.2, 3);
  EXPECT_EQ(s.test.to_vector(), two.test.to_vector());
  std::vector<std::int64_t> train_val = s.train.to_vector();
  for (const auto r : s.val.to_vector()) train_val.push_back(r);
  std::sort(train_val.begin(), train_val.end());
  EXPECT_EQ(train_val, two.train.to_vector());
  std::vector<Index> val(static_cast<std::size_t>(d.num_users)), train(val.size());
  for (const auto r : s.val.to_vector()) ++val[static_cast<std::size_t>(d.user[r])];
  for (const auto r : two.train.to_vector()) ++train[static_cast<std::size_t>(d.user[r])];
  for (std::size_t u = 0; u < val.size(); ++u)
    EXPECT_EQ(val[u], std::llround(0.2 * static_cast<double>(train[u]))) << "user " << u;
  EXPECT_GT(s.val.size(), 0);
  EXPECT_THROW(stratified_ratings_split(d, 0.75, 1.0, 3), InvalidArgument);
}

TEST(RatingsSplit3, LeaveLastOutHoldsTheLatestTwo) {
  const RatingsDataset d = generated();
  const RatingsSplit s = leave_last_out_split(d);
  EXPECT_EQ(s.test.size(), d.num_users);
  EXPECT_EQ(s.val.size(), d.num_users);
  for (const auto r : s.test.to_vector())
    for (const auto t : s.train.to_vector())
      if (d.user[t] == d.user[r]) {
        EXPECT_LT(d.timestamp[t], d.timestamp[r]);
      }
}

TEST(Interactions, DropsColdStartAndReindexesToTrain) {
  // Users 1..3, items 1..4; item 4 and user 3 appear only in test.
  const RatingsDataset d =
      load_ratings_table(temp_file("c.csv", "1,1\n1,2\n2,2\n2,3\n1,4\n3,1\n2,1\n"));
  RatingsSplit split;
  split.train = IndexArray64(std::vector<std::int64_t>{0, 1, 2, 3});
  split.test = IndexArray64(std::vector<std::int64_t>{4, 5, 6});
  const Interactions x = make_interactions(d, split);
  EXPECT_EQ(x.num_users, 2);
  EXPECT_EQ(x.num_items, 3);
  EXPECT_EQ(x.dropped_test, 2);  // (1, 4) and (3, 1)
  EXPECT_EQ(x.test.num_edges(), 1);
  EXPECT_EQ(x.test.col_idx().to_vector(), (std::vector<std::int32_t>{0}));  // (2, 1)
  const graph::Csr g = bipartite_graph(x);
  EXPECT_EQ(g.num_nodes(), 5);
  EXPECT_EQ(g.num_edges(), 8);
  EXPECT_TRUE(symmetric_without_loops(g));
  EXPECT_NE(summary(x).find("dropped: 0 val, 2 test"), std::string::npos) << summary(x);
  RatingsSplit empty;
  EXPECT_THROW(make_interactions(d, empty), InvalidArgument);
}

TEST(Interactions, FacebookBooksCounts) {
  MOEGNN_REQUIRE_DATASET(dir, "facebook-books");
  const RatingsDataset d = load_ratings_table(dir / "dataset_facebook.tsv");
  EXPECT_EQ(d.num_ratings(), 17626);
  EXPECT_EQ(d.num_users, 1398);
  EXPECT_EQ(d.num_items, 2726);
  const Interactions x = make_interactions(d, random_ratings_split(d, 0.1, 0.1, 42));
  EXPECT_EQ(x.train.num_edges() + x.val.num_edges() + x.test.num_edges() + x.dropped_val +
                x.dropped_test,
            17626);
}

}  // namespace
}  // namespace moegnn::datasets
