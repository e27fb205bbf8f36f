// SPDX-License-Identifier: Apache-2.0
// RatingsDataset: explicit-feedback recommendation data (MovieLens): users, items and one
// (user, item, rating, timestamp) record per rating, with 0-based contiguous user and item ids,
// plus builders for the bipartite graphs recommender GNNs train on (LightGCN, NGCF, GC-MC).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/index_array.h"
#include "core/tensor.h"
#include "graph/csr.h"

namespace moegnn::datasets {

struct RatingsDataset {
  Index num_users = 0;
  Index num_items = 0;
  IndexArray32 user{};                     // num_ratings ids in [0, num_users)
  IndexArray32 item{};                     // num_ratings ids in [0, num_items)
  Tensor rating{};                         // num_ratings × 1
  IndexArray64 timestamp{};                // num_ratings, seconds since the Unix epoch
  std::vector<std::int64_t> user_ids{};    // original id of each user (file ids, e.g. 1-based)
  std::vector<std::int64_t> item_ids{};    // original id of each item
  std::vector<std::string> item_titles{};  // UTF-8, num_items entries (empty if not loaded)
  std::string name{};

  Index num_ratings() const { return user.size(); }
};

// Checks sizes and id ranges. Throws InvalidArgument naming the first violation.
void check(const RatingsDataset& dataset);

// Users × items matrix (rows = users, columns = items) of the ratings at `rows` (indices into the
// rating arrays; empty = all). Values: the rating when `weighted`, else none. A pair rated twice
// keeps its first rating. Throws InvalidArgument for a row index out of range.
graph::Csr user_item_graph(const RatingsDataset& dataset, const IndexArray64& rows = {},
                           bool weighted = false);

// The square bipartite graph on num_users + num_items nodes (item i is node num_users + i), with
// both directions of every rating at `rows` (LightGCN's adjacency). Values as user_item_graph.
graph::Csr interaction_graph(const RatingsDataset& dataset, const IndexArray64& rows = {},
                             bool weighted = false);

}  // namespace moegnn::datasets
