// SPDX-License-Identifier: Apache-2.0
// A synthetic MovieLens: a bipartite ratings generator returning a RatingsDataset, for recommender
// tests and benchmarks at any size. Each user and each item gets a Pareto-distributed weight (shape
// = the exponent; smaller is heavier-tailed). A user's number of ratings is proportional to its
// weight (at least min_ratings_per_user, at most num_items; the total is exactly num_ratings), so
// activity is power-law; the user's items are distinct and drawn with probability proportional to
// the item weights, so popularity is power-law too. A rating is a low-rank latent model plus noise,
//   r = clamp(round(global_mean + b_u + b_i + latent_scale · <p_u, q_i> + noise · e), 1, 5)
// with p_u, q_i ~ N(0, rank^(-1/2) I) (so <p_u, q_i> has unit variance), biases ~ N(0, bias_std²)
// and e ~ N(0, 1). Timestamps increase strictly along each user's ratings: a start drawn uniformly
// in [start_time, start_time + time_span) and exponential gaps of mean mean_gap (plus one second).
// Records are grouped by user (ascending), then by time. Every user draws from its own
// counter-based stream, so the output depends on the options alone, not on the thread count.
#pragma once

#include <cstdint>

#include "datasets/ratings_dataset.h"

namespace moegnn::datasets {

struct RatingsGeneratorOptions {
  Index num_users = 0;
  Index num_items = 0;
  Index num_ratings = 0;
  Index min_ratings_per_user = 1;
  double user_exponent = 1.5;  // Pareto shape of the activity weights
  double item_exponent = 1.2;  // Pareto shape of the popularity weights
  Index rank = 8;              // latent dimension
  double global_mean = 3.5;
  double bias_std = 0.4;
  double latent_scale = 1.0;
  double noise = 0.5;
  std::int64_t start_time = 946684800;  // 2000-01-01 UTC, seconds since the epoch
  std::int64_t time_span = 3 * 365 * 86400;
  double mean_gap = 86400.0;  // seconds between a user's consecutive ratings, on average
  std::uint64_t seed = 1;
};

// Throws InvalidArgument on num_users or num_items outside [1, 2^31), min_ratings_per_user outside
// [0, num_items], num_ratings outside [num_users · min_ratings_per_user, num_users · num_items],
// an exponent outside [0.25, 100], rank outside [1, 1024], a negative or non-finite bias_std,
// latent_scale, noise or mean_gap, a non-finite global_mean, a negative start_time or time_span <
// 1, or timestamps that could overflow int64.
void check(const RatingsGeneratorOptions& options);

// The dataset: num_ratings records, ratings in {1, ..., 5}, user_ids and item_ids 0..n-1, no
// titles. Throws as check(options).
RatingsDataset generate_ratings(const RatingsGeneratorOptions& options);

}  // namespace moegnn::datasets
