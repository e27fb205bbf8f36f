// SPDX-License-Identifier: Apache-2.0
// The bipartite ratings generator: Pareto weights, per-user counts by water-filling, weighted item
// sampling without replacement, a latent-factor rating model and per-user clocks.
#include "datasets/ratings_generator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/parallel.h"
#include "core/rng.h"

namespace moegnn::datasets {
namespace {

using Options = RatingsGeneratorOptions;

constexpr Index kMaxIds = std::numeric_limits<std::int32_t>::max();
constexpr Index kMaxRank = 1024;
// Gaps are -mean_gap · log(1 - u) with u < 1 - 2^-53, so at most 53 · ln 2 < 37 mean gaps.
constexpr double kMaxGapFactor = 37.0;

// Uniform double in [0, 1) with 53 random bits.
double unit(std::uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

// Pareto(shape) weights >= 1, weight i from Rng::bits(key, i).
std::vector<double> pareto_weights(Index n, double shape, std::uint64_t key) {
  std::vector<double> w(static_cast<std::size_t>(n));
  parallel_for(0, n, [&](Index i) {
    w[static_cast<std::size_t>(i)] =
        std::pow(1.0 - unit(Rng::bits(key, static_cast<std::uint64_t>(i))), -1.0 / shape);
  }, 1 << 14);
  return w;
}

// Ratings per user: min + a weight-proportional share of the rest, users whose share would pass
// num_items capped (water-filling from the heaviest), rounded by largest remainder so that the
// counts sum to num_ratings exactly. Ties are broken by user id, so the result is deterministic.
std::vector<Index> user_counts(const std::vector<double>& w, const Options& o) {
  const Index users = o.num_users;
  const Index base = o.min_ratings_per_user;
  const Index room = o.num_items - base;  // most extra ratings one user can take
  std::vector<Index> order(static_cast<std::size_t>(users));
  std::iota(order.begin(), order.end(), Index{0});
  const auto heavier = [&](Index x, Index y) {
    const double wx = w[static_cast<std::size_t>(x)];
    const double wy = w[static_cast<std::size_t>(y)];
    return wx != wy ? wx > wy : x < y;
  };
  std::sort(order.begin(), order.end(), heavier);
  std::vector<double> tail(static_cast<std::size_t>(users) + 1, 0.0);  // weight of order[k..]
  for (Index k = users; k-- > 0;)
    tail[static_cast<std::size_t>(k)] =
        tail[static_cast<std::size_t>(k) + 1] + w[static_cast<std::size_t>(order[k])];
  std::vector<Index> counts(static_cast<std::size_t>(users), base);
  Index rest = o.num_ratings - users * base;
  Index k = 0;
  for (; k < users; ++k) {  // cap the heaviest while their share exceeds the room
    const Index u = order[static_cast<std::size_t>(k)];
    const double share = static_cast<double>(rest) * w[static_cast<std::size_t>(u)] /
                         tail[static_cast<std::size_t>(k)];
    if (share < static_cast<double>(room)) break;
    counts[static_cast<std::size_t>(u)] = base + room;
    rest -= room;
  }
  // Floors of the shares of order[k..], then +1 by largest remainder (ties: lower id first).
  std::vector<std::pair<double, Index>> remainders;
  const double weight = k < users ? tail[static_cast<std::size_t>(k)] : 1.0;
  Index assigned = 0;
  for (Index j = k; j < users; ++j) {
    const Index u = order[static_cast<std::size_t>(j)];
    const double share = static_cast<double>(rest) * w[static_cast<std::size_t>(u)] / weight;
    const Index whole = std::min<Index>(room, static_cast<Index>(std::floor(share)));
    counts[static_cast<std::size_t>(u)] += whole;
    assigned += whole;
    remainders.emplace_back(share - static_cast<double>(whole), u);
  }
  std::sort(remainders.begin(), remainders.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  });
  // Rounding error can leave the sum off by a few either way; walk the remainders until it is
  // exact. Each uncapped share is below the room, so the room left always suffices.
  const std::size_t m = remainders.size();
  for (std::size_t step = 0; assigned < rest && step < 4 * m; ++step) {
    Index& c = counts[static_cast<std::size_t>(remainders[step % m].second)];
    if (c < base + room) {
      ++c;
      ++assigned;
    }
  }
  for (std::size_t step = 0; assigned > rest && step < 4 * m; ++step) {
    Index& c = counts[static_cast<std::size_t>(remainders[m - 1 - step % m].second)];
    if (c > base) {
      --c;
      --assigned;
    }
  }
  MOEGNN_ASSERT(assigned == rest);
  return counts;
}

// `count` distinct items, each drawn with probability proportional to its weight among those not
// yet drawn, in draw order. Rejection against the CDF while few are needed; exponential keys
// (Efraimidis & Spirakis, 2006: the count largest log(u) / w) over all items when many are, or
// when rejection stalls because the drawn items hold most of the weight.
void draw_items(Rng& rng, Index count, const std::vector<double>& cdf,
                const std::vector<double>& weights, std::int32_t* out) {
  const auto num_items = static_cast<Index>(weights.size());
  if (count * 4 <= num_items) {
    std::unordered_set<std::int32_t> seen;
    Index got = 0;
    for (Index attempt = 0; got < count && attempt < 16 * count + 64; ++attempt) {
      const double r = unit(rng.next_u64()) * cdf.back();
      const auto it = std::upper_bound(cdf.begin(), cdf.end(), r);
      const auto item = static_cast<std::int32_t>(
          std::min<Index>(num_items - 1, static_cast<Index>(it - cdf.begin())));
      if (seen.insert(item).second) out[got++] = item;
    }
    if (got == count) return;
  }
  std::vector<std::pair<double, std::int32_t>> keys(static_cast<std::size_t>(num_items));
  for (Index i = 0; i < num_items; ++i)
    keys[static_cast<std::size_t>(i)] = {
        std::log(1.0 - unit(rng.next_u64())) / weights[static_cast<std::size_t>(i)],
        static_cast<std::int32_t>(i)};
  const auto larger = [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  };
  const auto end = keys.begin() + count;
  std::nth_element(keys.begin(), end, keys.end(), larger);
  std::sort(keys.begin(), end, larger);
  for (Index i = 0; i < count; ++i) out[i] = keys[static_cast<std::size_t>(i)].second;
}

// rank factors and a bias for entity i, from its own stream: factors ~ N(0, rank^(-1/2)).
void draw_factors(std::uint64_t key, Index i, const Options& o, float* factors, float& bias) {
  Rng rng(Rng::bits(key, static_cast<std::uint64_t>(i)));
  const auto scale = static_cast<float>(std::pow(static_cast<double>(o.rank), -0.25));
  for (Index k = 0; k < o.rank; ++k) factors[k] = scale * rng.normal();
  bias = static_cast<float>(o.bias_std) * rng.normal();
}

}  // namespace

void check(const RatingsGeneratorOptions& o) {
  const char* fn = "generate_ratings";
  MOEGNN_CHECK_AS(InvalidArgument, fn, o.num_users >= 1 && o.num_users <= kMaxIds,
                  "num_users is ", o.num_users, " vs [1, 2^31)");
  MOEGNN_CHECK_AS(InvalidArgument, fn, o.num_items >= 1 && o.num_items <= kMaxIds,
                  "num_items is ", o.num_items, " vs [1, 2^31)");
  MOEGNN_CHECK_AS(InvalidArgument, fn,
                  o.min_ratings_per_user >= 0 && o.min_ratings_per_user <= o.num_items,
                  "min_ratings_per_user is ", o.min_ratings_per_user, " vs [0, num_items = ",
                  o.num_items, "]");
  MOEGNN_CHECK_AS(InvalidArgument, fn,
                  o.num_ratings >= o.num_users * o.min_ratings_per_user &&
                      o.num_ratings <= o.num_users * o.num_items,
                  "num_ratings is ", o.num_ratings, " vs [num_users · min_ratings_per_user = ",
                  o.num_users * o.min_ratings_per_user, ", num_users · num_items = ",
                  o.num_users * o.num_items, "]; each user rates an item at most once");
  for (const auto& [name, value] :
       {std::pair{"user_exponent", o.user_exponent}, std::pair{"item_exponent", o.item_exponent}})
    MOEGNN_CHECK_AS(InvalidArgument, fn, value >= 0.25 && value <= 100.0, name, " is ", value,
                    " vs [0.25, 100]");
  MOEGNN_CHECK_AS(InvalidArgument, fn, o.rank >= 1 && o.rank <= kMaxRank, "rank is ", o.rank,
                  " vs [1, ", kMaxRank, "]");
  MOEGNN_CHECK_AS(InvalidArgument, fn, std::isfinite(o.global_mean), "global_mean is ",
                  o.global_mean, " vs finite");
  for (const auto& [name, value] :
       {std::pair{"bias_std", o.bias_std}, std::pair{"latent_scale", o.latent_scale},
        std::pair{"noise", o.noise}, std::pair{"mean_gap", o.mean_gap}})
    MOEGNN_CHECK_AS(InvalidArgument, fn, std::isfinite(value) && value >= 0.0, name, " is ",
                    value, " vs finite and >= 0");
  MOEGNN_CHECK_AS(InvalidArgument, fn, o.start_time >= 0 && o.time_span >= 1,
                  "start_time, time_span are ", o.start_time, ", ", o.time_span,
                  " vs >= 0 and >= 1");
  const double last = static_cast<double>(o.start_time) + static_cast<double>(o.time_span) +
                      static_cast<double>(o.num_items) * (1.0 + kMaxGapFactor * o.mean_gap);
  MOEGNN_CHECK_AS(InvalidArgument, fn, last < 0x1.0p62, "timestamps could reach ", last,
                  " vs below 2^62; lower start_time, time_span or mean_gap");
}

RatingsDataset generate_ratings(const RatingsGeneratorOptions& o) {
  check(o);
  Rng rng(o.seed);
  const std::vector<double> activity = pareto_weights(o.num_users, o.user_exponent, rng.split());
  const std::vector<double> popularity =
      pareto_weights(o.num_items, o.item_exponent, rng.split());
  const std::uint64_t user_factor_key = rng.split();
  const std::uint64_t item_factor_key = rng.split();
  const std::uint64_t user_key = rng.split();
  // Item factors and biases once; user factors inside each user's task.
  Matrix item_factors(o.num_items, o.rank);
  std::vector<float> item_bias(static_cast<std::size_t>(o.num_items));
  parallel_for(0, o.num_items, [&](Index i) {
    draw_factors(item_factor_key, i, o, item_factors.row(i).data(),
                 item_bias[static_cast<std::size_t>(i)]);
  }, 1024);
  std::vector<double> cdf(popularity.size());
  std::partial_sum(popularity.begin(), popularity.end(), cdf.begin());
  const std::vector<Index> counts = user_counts(activity, o);
  std::vector<Index> offset(counts.size() + 1, 0);
  std::partial_sum(counts.begin(), counts.end(), offset.begin() + 1);

  RatingsDataset d;
  d.num_users = o.num_users;
  d.num_items = o.num_items;
  d.user = IndexArray32(o.num_ratings);
  d.item = IndexArray32(o.num_ratings);
  d.rating = Tensor::empty(o.num_ratings, 1);
  d.timestamp = IndexArray64(o.num_ratings);
  std::int32_t* users = d.user.data();
  std::int32_t* items = d.item.data();
  float* ratings = d.rating.data();
  std::int64_t* times = d.timestamp.data();
  parallel_for(0, o.num_users, [&](Index u) {
    std::vector<float> p(static_cast<std::size_t>(o.rank));
    float user_bias = 0.0f;
    draw_factors(user_factor_key, u, o, p.data(), user_bias);
    Rng user_rng(Rng::bits(user_key, static_cast<std::uint64_t>(u)));
    const Index begin = offset[static_cast<std::size_t>(u)];
    const Index count = counts[static_cast<std::size_t>(u)];
    draw_items(user_rng, count, cdf, popularity, items + begin);
    const double start = unit(user_rng.next_u64()) * static_cast<double>(o.time_span);
    std::int64_t t = o.start_time + static_cast<std::int64_t>(start);
    for (Index k = begin; k < begin + count; ++k) {
      if (k > begin)
        t += 1 + static_cast<std::int64_t>(-o.mean_gap * std::log(1.0 - unit(user_rng.next_u64())));
      const Index i = items[k];
      float dot = 0.0f;
      for (Index r = 0; r < o.rank; ++r) dot += p[static_cast<std::size_t>(r)] * item_factors(i, r);
      const double score = o.global_mean + user_bias + item_bias[static_cast<std::size_t>(i)] +
                           o.latent_scale * dot + o.noise * user_rng.normal();
      users[k] = static_cast<std::int32_t>(u);
      ratings[k] = static_cast<float>(std::clamp(std::round(score), 1.0, 5.0));
      times[k] = t;
    }
  }, 16);
  d.user_ids.resize(static_cast<std::size_t>(o.num_users));
  std::iota(d.user_ids.begin(), d.user_ids.end(), std::int64_t{0});
  d.item_ids.resize(static_cast<std::size_t>(o.num_items));
  std::iota(d.item_ids.begin(), d.item_ids.end(), std::int64_t{0});
  std::ostringstream name;
  name << "synthetic-ratings-u" << o.num_users << "-i" << o.num_items << "-r" << o.num_ratings
       << "-s" << o.seed;
  d.name = name.str();
  return d;
}

}  // namespace moegnn::datasets
