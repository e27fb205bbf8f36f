// SPDX-License-Identifier: Apache-2.0
// Ratings generator: exact counts, value and id ranges, distinct items per user, strictly
// increasing per-user timestamps, power-law activity and popularity, signal from the latent model,
// determinism, the boundary cases (every user rates every item) and rejected options.
#include <algorithm>
#include <cmath>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/parallel.h"
#include "datasets/ratings_generator.h"
#include "tests/datasets/dataset_test_util.h"

namespace moegnn::datasets {
namespace {

RatingsGeneratorOptions small_options(std::uint64_t seed = 5) {
  RatingsGeneratorOptions o;
  o.num_users = 500;
  o.num_items = 800;
  o.num_ratings = 20000;
  o.min_ratings_per_user = 5;
  o.seed = seed;
  return o;
}

std::vector<float> ratings_of(const RatingsDataset& d) {
  return {d.rating.data(), d.rating.data() + d.rating.size()};
}

// Records per user (or per item).
std::vector<Index> histogram(const IndexArray32& ids, Index n) {
  std::vector<Index> count(static_cast<std::size_t>(n), 0);
  for (const std::int32_t v : ids.host()) ++count[static_cast<std::size_t>(v)];
  return count;
}

TEST(RatingsGenerator, CountsRangesAndIds) {
  const RatingsGeneratorOptions o = small_options();
  const RatingsDataset d = generate_ratings(o);
  check(d);
  EXPECT_EQ(d.num_users, 500);
  EXPECT_EQ(d.num_items, 800);
  ASSERT_EQ(d.num_ratings(), 20000);
  for (const float r : ratings_of(d)) {
    EXPECT_GE(r, 1.0f);
    EXPECT_LE(r, 5.0f);
    EXPECT_EQ(r, std::round(r));
  }
  const std::vector<Index> per_user = histogram(d.user, d.num_users);
  EXPECT_GE(*std::min_element(per_user.begin(), per_user.end()), o.min_ratings_per_user);
  EXPECT_LE(*std::max_element(per_user.begin(), per_user.end()), o.num_items);
  // Every rating value occurs: the latent model spreads them.
  const std::vector<float> r = ratings_of(d);
  EXPECT_EQ(std::set<float>(r.begin(), r.end()).size(), 5u);
}

TEST(RatingsGenerator, UsersRateDistinctItemsInIncreasingTime) {
  const RatingsDataset d = generate_ratings(small_options());
  const auto user = d.user.host();
  const auto item = d.item.host();
  const auto time = d.timestamp.host();
  std::set<std::pair<std::int32_t, std::int32_t>> pairs;
  for (Index k = 0; k < d.num_ratings(); ++k) {
    const auto i = static_cast<std::size_t>(k);
    EXPECT_TRUE(pairs.emplace(user[i], item[i]).second)
        << "user " << user[i] << " item " << item[i];
    EXPECT_GE(time[i], 946684800);
    if (k > 0) {
      ASSERT_LE(user[i - 1], user[i]);  // grouped by user
      if (user[i - 1] == user[i]) {
        EXPECT_LT(time[i - 1], time[i]) << "record " << k;
      }
    }
  }
}

TEST(RatingsGenerator, ActivityAndPopularityAreSkewed) {
  const RatingsGeneratorOptions o = small_options();
  const RatingsDataset d = generate_ratings(o);
  std::vector<Index> per_user = histogram(d.user, d.num_users);
  const double mean_user = 20000.0 / 500.0;
  EXPECT_GT(static_cast<double>(*std::max_element(per_user.begin(), per_user.end())),
            5.0 * mean_user);
  std::vector<Index> per_item = histogram(d.item, d.num_items);
  std::sort(per_item.rbegin(), per_item.rend());
  Index top = 0;
  for (std::size_t i = 0; i < per_item.size() / 10; ++i) top += per_item[i];
  // The most popular 10 % of items get far more than 10 % of the ratings.
  EXPECT_GT(static_cast<double>(top), 0.3 * 20000.0) << "top decile holds " << top;
}

TEST(RatingsGenerator, RatingsFollowTheLatentModel) {
  // Without noise and biases a rating is round(mean + <p_u, q_i>): a user's ratings vary with the
  // item, and with latent_scale 0 every rating is round(global_mean).
  RatingsGeneratorOptions o = small_options();
  o.latent_scale = 0.0;
  o.bias_std = 0.0;
  o.noise = 0.0;
  o.global_mean = 2.2;
  for (const float r : ratings_of(generate_ratings(o))) ASSERT_EQ(r, 2.0f);
  o.latent_scale = 1.0;
  const std::vector<float> r = ratings_of(generate_ratings(o));
  EXPECT_GT(std::count(r.begin(), r.end(), 3.0f), 1000);
  EXPECT_GT(std::count(r.begin(), r.end(), 1.0f), 1000);
}

TEST(RatingsGenerator, SameSeedSameDataOtherSeedOther) {
  const RatingsDataset a = generate_ratings(small_options(5));
  set_num_threads(1);  // and on any thread count
  const RatingsDataset b = generate_ratings(small_options(5));
  set_num_threads(0);
  EXPECT_EQ(a.user.to_vector(), b.user.to_vector());
  EXPECT_EQ(a.item.to_vector(), b.item.to_vector());
  EXPECT_EQ(ratings_of(a), ratings_of(b));
  EXPECT_EQ(a.timestamp.to_vector(), b.timestamp.to_vector());
  EXPECT_EQ(a.name, b.name);
  const RatingsDataset c = generate_ratings(small_options(6));
  EXPECT_NE(a.item.to_vector(), c.item.to_vector());
  EXPECT_NE(a.timestamp.to_vector(), c.timestamp.to_vector());
}

TEST(RatingsGenerator, DenseAndMinimalExtremes) {
  RatingsGeneratorOptions o;
  o.num_users = 30;
  o.num_items = 20;
  o.num_ratings = 600;  // every user rates every item
  const RatingsDataset full = generate_ratings(o);
  check(full);
  for (const Index c : histogram(full.item, 20)) EXPECT_EQ(c, 30);
  for (const Index c : histogram(full.user, 30)) EXPECT_EQ(c, 20);
  o.num_ratings = 599;  // the heaviest users full, the rest by share
  EXPECT_EQ(generate_ratings(o).num_ratings(), 599);
  o.num_ratings = 30;
  o.min_ratings_per_user = 1;
  for (const Index c : histogram(generate_ratings(o).user, 30)) EXPECT_EQ(c, 1);
  o.num_ratings = 0;
  o.min_ratings_per_user = 0;
  EXPECT_EQ(generate_ratings(o).num_ratings(), 0);
  // Steep popularity and heavy users: the weighted sampler must still find distinct items.
  o = small_options();
  o.item_exponent = 0.3;
  o.user_exponent = 0.3;
  const RatingsDataset steep = generate_ratings(o);
  check(steep);
  std::set<std::pair<std::int32_t, std::int32_t>> pairs;
  for (Index k = 0; k < steep.num_ratings(); ++k) pairs.emplace(steep.user[k], steep.item[k]);
  EXPECT_EQ(static_cast<Index>(pairs.size()), steep.num_ratings());
}

TEST(RatingsGenerator, RejectsBadOptionsNamingThem) {
  using Mutate = std::function<void(RatingsGeneratorOptions&)>;
  const std::vector<std::pair<Mutate, std::string>> cases = {
      {[](auto& o) { o.num_users = 0; }, "num_users is 0"},
      {[](auto& o) { o.num_items = Index{1} << 31; }, "num_items is"},
      {[](auto& o) { o.min_ratings_per_user = 900; }, "min_ratings_per_user is 900"},
      {[](auto& o) { o.num_ratings = 2499; }, "num_ratings is 2499"},
      {[](auto& o) { o.num_ratings = 400001; }, "num_ratings is 400001"},
      {[](auto& o) { o.user_exponent = 0.1; }, "user_exponent is 0.1"},
      {[](auto& o) { o.item_exponent = std::nan(""); }, "item_exponent is"},
      {[](auto& o) { o.rank = 0; }, "rank is 0"},
      {[](auto& o) { o.global_mean = INFINITY; }, "global_mean is"},
      {[](auto& o) { o.noise = -0.5; }, "noise is -0.5"},
      {[](auto& o) { o.bias_std = -1.0; }, "bias_std is -1"},
      {[](auto& o) { o.mean_gap = 1e300; }, "timestamps could reach"},
      {[](auto& o) { o.time_span = 0; }, "start_time, time_span"},
  };
  for (const auto& [mutate, needle] : cases) {
    RatingsGeneratorOptions o = small_options();
    mutate(o);
    EXPECT_THROW_WITH(generate_ratings(o), InvalidArgument, "generate_ratings: " + needle);
  }
}

}  // namespace
}  // namespace moegnn::datasets
