// SPDX-License-Identifier: Apache-2.0
// RatingsDataset invariants and bipartite graph builders (through graph::from_coo).
#include "datasets/ratings_dataset.h"

#include "core/error.h"
#include "graph/builder.h"

namespace moegnn::datasets {
namespace {

// The selected rows' (user, item, rating) triples.
struct Selection {
  std::vector<std::int32_t> user, item;
  std::vector<float> rating;
};

Selection select(const RatingsDataset& d, const IndexArray64& rows, const char* function) {
  const auto user = d.user.host();
  const auto item = d.item.host();
  const float* rating = d.rating.data();
  Selection s;
  const auto take = [&](std::int64_t r) {
    MOEGNN_CHECK_AS(InvalidArgument, function, r >= 0 && r < d.num_ratings(), "row ", r,
                    " out of range vs [0, ", d.num_ratings(), ")");
    s.user.push_back(user[static_cast<std::size_t>(r)]);
    s.item.push_back(item[static_cast<std::size_t>(r)]);
    s.rating.push_back(rating[r]);
  };
  if (rows.empty()) {
    for (Index r = 0; r < d.num_ratings(); ++r) take(r);
  } else {
    for (const std::int64_t r : rows.host()) take(r);
  }
  return s;
}

graph::BuildOptions unique_edges() {
  graph::BuildOptions o;
  o.duplicates = graph::Duplicates::KeepFirst;
  return o;
}

}  // namespace

void check(const RatingsDataset& d) {
  const Index n = d.num_ratings();
  MOEGNN_CHECK_AS(InvalidArgument, "datasets::check",
                  d.item.size() == n && d.rating.rows() == n && d.rating.cols() == 1 &&
                      d.timestamp.size() == n,
                  "rating arrays have sizes user ", n, ", item ", d.item.size(), ", rating ",
                  d.rating.shape_string(), ", timestamp ", d.timestamp.size(), " vs all equal");
  MOEGNN_CHECK_AS(InvalidArgument, "datasets::check",
                  static_cast<Index>(d.user_ids.size()) == d.num_users &&
                      static_cast<Index>(d.item_ids.size()) == d.num_items,
                  "original ids for ", d.user_ids.size(), " users and ", d.item_ids.size(),
                  " items vs ", d.num_users, " and ", d.num_items);
  for (const std::int32_t u : d.user.host())
    MOEGNN_CHECK_AS(InvalidArgument, "datasets::check", u >= 0 && u < d.num_users, "user id ", u,
                    " out of range vs [0, ", d.num_users, ")");
  for (const std::int32_t i : d.item.host())
    MOEGNN_CHECK_AS(InvalidArgument, "datasets::check", i >= 0 && i < d.num_items, "item id ", i,
                    " out of range vs [0, ", d.num_items, ")");
}

graph::Csr user_item_graph(const RatingsDataset& d, const IndexArray64& rows, bool weighted) {
  const Selection s = select(d, rows, "user_item_graph");
  graph::BuildOptions o = unique_edges();
  o.num_nodes = d.num_users;
  o.num_src_nodes = d.num_items;
  return graph::from_coo(s.item, s.user, weighted ? s.rating : std::vector<float>{}, o);
}

graph::Csr interaction_graph(const RatingsDataset& d, const IndexArray64& rows, bool weighted) {
  Selection s = select(d, rows, "interaction_graph");
  for (std::int32_t& i : s.item) i += static_cast<std::int32_t>(d.num_users);
  graph::BuildOptions o = unique_edges();
  o.num_nodes = d.num_users + d.num_items;
  o.symmetric = true;
  return graph::from_coo(s.user, s.item, weighted ? s.rating : std::vector<float>{}, o);
}

}  // namespace moegnn::datasets
