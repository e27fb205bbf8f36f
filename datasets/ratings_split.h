// SPDX-License-Identifier: Apache-2.0
// Train/test splits of a RatingsDataset as sorted lists of rating indices: a seeded random split
// over all ratings and the per-user leave-k-out split of implicit-feedback evaluation (NCF,
// LightGCN protocols). The shipped MovieLens 100K splits are in datasets/movielens.h.
#pragma once

#include <cstdint>

#include "datasets/ratings_dataset.h"

namespace moegnn::datasets {

struct RatingsSplit {
  IndexArray64 train{};  // indices into the dataset's rating arrays, sorted, disjoint
  IndexArray64 test{};
};

// Shuffles the rating indices with `seed` and puts the first round(test_fraction · n) into test.
// Throws InvalidArgument unless test_fraction is in [0, 1].
RatingsSplit random_ratings_split(const RatingsDataset& dataset, double test_fraction,
                                  std::uint64_t seed);

enum class LeaveOut {
  Latest,  // each user's k most recent ratings (by timestamp; ties: the later index)
  Random   // k of each user's ratings chosen with the seed
};

// Per user, k ratings go to test and the rest to train; users with k or fewer ratings keep all
// of them in train (so every user can still be embedded). Throws InvalidArgument for k < 1.
RatingsSplit leave_k_out_split(const RatingsDataset& dataset, Index k,
                               LeaveOut order = LeaveOut::Latest, std::uint64_t seed = 0);

}  // namespace moegnn::datasets
