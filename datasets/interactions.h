// SPDX-License-Identifier: Apache-2.0
// Interactions: implicit-feedback recommendation data ready for training and full ranking. Users
// and items are re-indexed to those present in the training interactions (Sheaf4Rec relabels with
// a LabelEncoder fitted on train), so every ranked item has a trained embedding; validation and
// test interactions whose user or item is not in train are dropped and counted. Each set is a
// per-user sorted, duplicate-free item list (a users × items graph::Csr), the layout the negative
// sampler, the training-item mask and the metrics all read without rebuilding anything per batch.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "graph/csr.h"
#include "datasets/ratings_dataset.h"
#include "datasets/ratings_split.h"

namespace moegnn::datasets {

// A user × item Csr (rows = users, columns = items, each row's items ascending and distinct)
// from (user, item) pairs in any order, duplicates merged. Throws InvalidArgument for an id out of
// [0, num_users) × [0, num_items).
graph::Csr make_user_items(Index num_users, Index num_items, std::span<const std::int32_t> users,
                           std::span<const std::int32_t> items);

struct Interactions {
  Index num_users = 0;                     // users with at least one training interaction
  Index num_items = 0;                     // items with at least one training interaction
  graph::Csr train{}, val{}, test{};       // num_users × num_items each
  std::vector<std::int32_t> user_index{};  // dataset user index of each user
  std::vector<std::int32_t> item_index{};  // dataset item index of each item
  Index dropped_val = 0;                   // val interactions with a user or item absent from train
  Index dropped_test = 0;                  // the same for test
  std::string name{};
};

// The interactions of `split` (train, val, test rating indices of `dataset`) whose rating is >=
// min_rating (in every set; for splits drawn before thresholding, such as MovieLens' u1..u5).
// Throws InvalidArgument for an empty training set (after the threshold) or an index out of range.
Interactions make_interactions(const RatingsDataset& dataset, const RatingsSplit& split,
                               float min_rating = -std::numeric_limits<float>::infinity());

// The bipartite graph of the training interactions on num_users + num_items nodes (item i is node
// num_users + i), both directions, no self loops, no values (LightGCN's A).
graph::Csr bipartite_graph(const Interactions& data);

// One line: "<name>: U users, I items, n train / n val / n test interactions (dropped ...)".
std::string summary(const Interactions& data);

}  // namespace moegnn::datasets
