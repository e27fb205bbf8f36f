// SPDX-License-Identifier: Apache-2.0
// Seeded rating splits (Fisher-Yates with core/rng.h, so results are reproducible everywhere).
#include "datasets/ratings_split.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "core/error.h"
#include "core/rng.h"

namespace moegnn::datasets {
namespace {

template <typename T>
void shuffle(std::vector<T>& v, Rng& rng) {
  for (std::size_t i = v.size(); i > 1; --i)
    std::swap(v[i - 1], v[static_cast<std::size_t>(rng.below(i))]);
}

RatingsSplit sorted_split(std::vector<std::int64_t> train, std::vector<std::int64_t> test,
                          std::vector<std::int64_t> val = {}) {
  std::sort(train.begin(), train.end());
  std::sort(test.begin(), test.end());
  std::sort(val.begin(), val.end());
  return {IndexArray64(train), IndexArray64(test), IndexArray64(val)};
}

// The rating indices of each user, in index order.
std::vector<std::vector<std::int64_t>> ratings_by_user(const RatingsDataset& dataset) {
  check(dataset);
  std::vector<std::vector<std::int64_t>> by_user(static_cast<std::size_t>(dataset.num_users));
  const auto user = dataset.user.host();
  for (Index r = 0; r < dataset.num_ratings(); ++r)
    by_user[static_cast<std::size_t>(user[static_cast<std::size_t>(r)])].push_back(r);
  return by_user;
}

void sort_by_time(std::vector<std::int64_t>& rows, const RatingsDataset& dataset) {
  const auto time = dataset.timestamp.host();
  std::stable_sort(rows.begin(), rows.end(), [&](std::int64_t a, std::int64_t b) {
    return time[static_cast<std::size_t>(a)] < time[static_cast<std::size_t>(b)];
  });
}

}  // namespace

RatingsSplit random_ratings_split(const RatingsDataset& dataset, double test_fraction,
                                  std::uint64_t seed) {
  MOEGNN_CHECK(test_fraction >= 0.0 && test_fraction <= 1.0, "test_fraction ", test_fraction,
               " vs [0, 1]");
  const Index n = dataset.num_ratings();
  std::vector<std::int64_t> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  Rng rng(seed);
  shuffle(order, rng);
  const auto num_test =
      static_cast<std::ptrdiff_t>(std::llround(test_fraction * static_cast<double>(n)));
  return sorted_split({order.begin() + num_test, order.end()},
                      {order.begin(), order.begin() + num_test});
}

RatingsSplit random_ratings_split(const RatingsDataset& dataset, double val_fraction,
                                  double test_fraction, std::uint64_t seed) {
  MOEGNN_CHECK(val_fraction >= 0.0 && test_fraction >= 0.0 && val_fraction + test_fraction <= 1.0,
               "val_fraction ", val_fraction, " and test_fraction ", test_fraction,
               " vs fractions in [0, 1] summing to at most 1");
  const Index n = dataset.num_ratings();
  std::vector<std::int64_t> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  Rng rng(seed);
  shuffle(order, rng);
  const auto count = [n](double f) {
    return static_cast<std::ptrdiff_t>(std::llround(f * static_cast<double>(n)));
  };
  const auto test_end = order.begin() + count(test_fraction);
  const auto val_end = std::min(test_end + count(val_fraction), order.end());
  return sorted_split({val_end, order.end()}, {order.begin(), test_end}, {test_end, val_end});
}

RatingsSplit stratified_ratings_split(const RatingsDataset& dataset, double train_fraction,
                                      std::uint64_t seed) {
  return stratified_ratings_split(dataset, train_fraction, 0.0, seed);
}

RatingsSplit stratified_ratings_split(const RatingsDataset& dataset, double train_fraction,
                                      double val_fraction, std::uint64_t seed) {
  MOEGNN_CHECK(
      train_fraction > 0.0 && train_fraction <= 1.0 && val_fraction >= 0.0 && val_fraction < 1.0,
      "train_fraction ", train_fraction, ", val_fraction ", val_fraction, " vs (0, 1] and [0, 1)");
  Rng rng(seed);
  std::vector<std::int64_t> train, test, val;
  for (std::vector<std::int64_t>& rows : ratings_by_user(dataset)) {
    shuffle(rows, rng);
    const auto cut = static_cast<std::ptrdiff_t>(
        std::llround(train_fraction * static_cast<double>(rows.size())));
    const auto held =
        static_cast<std::ptrdiff_t>(std::llround(val_fraction * static_cast<double>(cut)));
    train.insert(train.end(), rows.begin(), rows.begin() + cut - held);
    val.insert(val.end(), rows.begin() + cut - held, rows.begin() + cut);
    test.insert(test.end(), rows.begin() + cut, rows.end());
  }
  if (val_fraction == 0.0) return sorted_split(std::move(train), std::move(test));
  return sorted_split(std::move(train), std::move(test), std::move(val));
}

RatingsSplit leave_last_out_split(const RatingsDataset& dataset) {
  std::vector<std::int64_t> train, test, val;
  for (std::vector<std::int64_t>& rows : ratings_by_user(dataset)) {
    sort_by_time(rows, dataset);
    if (rows.size() >= 2) {
      test.push_back(rows.back());
      rows.pop_back();
    }
    if (rows.size() >= 2) {
      val.push_back(rows.back());
      rows.pop_back();
    }
    train.insert(train.end(), rows.begin(), rows.end());
  }
  return sorted_split(std::move(train), std::move(test), std::move(val));
}

RatingsSplit leave_k_out_split(const RatingsDataset& dataset, Index k, LeaveOut order,
                               std::uint64_t seed) {
  MOEGNN_CHECK(k >= 1, "k ", k, " vs >= 1");
  check(dataset);
  // 1. Ratings grouped by user, in index order.
  std::vector<std::vector<std::int64_t>> by_user(static_cast<std::size_t>(dataset.num_users));
  const auto user = dataset.user.host();
  for (Index r = 0; r < dataset.num_ratings(); ++r)
    by_user[static_cast<std::size_t>(user[static_cast<std::size_t>(r)])].push_back(r);
  // 2. Per user, order the candidates so the held-out ones come last, then cut.
  const auto time = dataset.timestamp.host();
  Rng rng(seed);
  std::vector<std::int64_t> train, test;
  for (std::vector<std::int64_t>& rows : by_user) {
    if (order == LeaveOut::Latest) {
      std::stable_sort(rows.begin(), rows.end(), [&](std::int64_t a, std::int64_t b) {
        return time[static_cast<std::size_t>(a)] < time[static_cast<std::size_t>(b)];
      });
    } else {
      shuffle(rows, rng);
    }
    const std::size_t held =
        rows.size() > static_cast<std::size_t>(k) ? static_cast<std::size_t>(k) : 0;
    train.insert(train.end(), rows.begin(), rows.end() - static_cast<std::ptrdiff_t>(held));
    test.insert(test.end(), rows.end() - static_cast<std::ptrdiff_t>(held), rows.end());
  }
  return sorted_split(std::move(train), std::move(test));
}

}  // namespace moegnn::datasets
