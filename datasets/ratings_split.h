// SPDX-License-Identifier: Apache-2.0
// Train/(validation/)test splits of a RatingsDataset as sorted lists of rating indices: a seeded
// random split over all ratings (two- or three-way), the per-user leave-k-out split of
// implicit-feedback evaluation (NCF, LightGCN protocols), per-user temporal leave-last-out with a
// validation rating, and the per-user stratified split of Microsoft's `recommenders` benchmarks.
// The shipped MovieLens 100K splits are in datasets/movielens.h.
#pragma once

#include <cstdint>

#include "datasets/ratings_dataset.h"

namespace moegnn::datasets {

struct RatingsSplit {
  IndexArray64 train{};  // indices into the dataset's rating arrays, sorted, disjoint
  IndexArray64 test{};
  IndexArray64 val{};  // empty for two-way splits
};

// Shuffles the rating indices with `seed` and puts the first round(test_fraction · n) into test.
// Throws InvalidArgument unless test_fraction is in [0, 1].
RatingsSplit random_ratings_split(const RatingsDataset& dataset, double test_fraction,
                                  std::uint64_t seed);

// Three-way random split: shuffles with `seed`, the first round(test_fraction · n) go to test, the
// next round(val_fraction · n) to val, the rest to train (Sheaf4Rec's 80/10/10 with 0.1, 0.1).
// Throws InvalidArgument unless both fractions are in [0, 1] and sum to at most 1.
RatingsSplit random_ratings_split(const RatingsDataset& dataset, double val_fraction,
                                  double test_fraction, std::uint64_t seed);

// Per user, the ratings are shuffled with `seed` and the first round(train_fraction · n_u) go to
// train, the rest to test (recommenders' python_stratified_split, ratio 0.75 in its benchmarks).
// Throws InvalidArgument unless train_fraction is in (0, 1].
RatingsSplit stratified_ratings_split(const RatingsDataset& dataset, double train_fraction,
                                      std::uint64_t seed);
// The same split with validation carved out of the training part: of each user's
// round(train_fraction · n_u) training ratings the last round(val_fraction · that) go to val. The
// test set is the two-way split's (same seed), so settings chosen on this validation can be
// retrained on the full training part and scored on an untouched test. Throws InvalidArgument
// unless train_fraction is in (0, 1] and val_fraction in [0, 1).
RatingsSplit stratified_ratings_split(const RatingsDataset& dataset, double train_fraction,
                                      double val_fraction, std::uint64_t seed);

// Per user, the most recent rating goes to test and the one before it to val (by timestamp, ties:
// the later index); users with 2 ratings give only a test rating, users with 1 keep it in train.
RatingsSplit leave_last_out_split(const RatingsDataset& dataset);

enum class LeaveOut {
  Latest,  // each user's k most recent ratings (by timestamp; ties: the later index)
  Random   // k of each user's ratings chosen with the seed
};

// Per user, k ratings go to test and the rest to train; users with k or fewer ratings keep all
// of them in train (so every user can still be embedded). Throws InvalidArgument for k < 1.
RatingsSplit leave_k_out_split(const RatingsDataset& dataset, Index k,
                               LeaveOut order = LeaveOut::Latest, std::uint64_t seed = 0);

}  // namespace moegnn::datasets
