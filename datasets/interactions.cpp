// SPDX-License-Identifier: Apache-2.0
// Re-indexing to the training users and items, cold-start filtering, per-user item lists.
#include "datasets/interactions.h"

#include <algorithm>
#include <sstream>

#include "core/error.h"
#include "graph/builder.h"

namespace moegnn::datasets {

graph::Csr make_user_items(Index num_users, Index num_items, std::span<const std::int32_t> users,
                           std::span<const std::int32_t> items) {
  graph::BuildOptions o;
  o.num_nodes = num_users;
  o.num_src_nodes = num_items;
  o.duplicates = graph::Duplicates::KeepFirst;
  return graph::from_coo(items, users, {}, o);
}

namespace {

// Dataset ids of the selected rows remapped through user_map/item_map (-1 = absent); rows with an
// absent user or item are counted in `dropped` and skipped.
graph::Csr remap(const RatingsDataset& d, const IndexArray64& rows, float min_rating,
                 const std::vector<std::int32_t>& user_map,
                 const std::vector<std::int32_t>& item_map, Index num_users, Index num_items,
                 Index& dropped) {
  const auto user = d.user.host();
  const auto item = d.item.host();
  std::vector<std::int32_t> us, is;
  for (const std::int64_t r : rows.host()) {
    MOEGNN_CHECK_AS(InvalidArgument, "make_interactions", r >= 0 && r < d.num_ratings(), "row ", r,
                    " vs [0, ", d.num_ratings(), ")");
    if (!(d.rating.data()[r] >= min_rating)) continue;
    const std::int32_t u = user_map[static_cast<std::size_t>(user[static_cast<std::size_t>(r)])];
    const std::int32_t i = item_map[static_cast<std::size_t>(item[static_cast<std::size_t>(r)])];
    if (u < 0 || i < 0) {
      ++dropped;
      continue;
    }
    us.push_back(u);
    is.push_back(i);
  }
  return make_user_items(num_users, num_items, us, is);
}

}  // namespace

Interactions make_interactions(const RatingsDataset& dataset, const RatingsSplit& split,
                               float min_rating) {
  check(dataset);
  // 1. Users and items of train, in dataset index order.
  std::vector<std::int32_t> user_map(static_cast<std::size_t>(dataset.num_users), -1);
  std::vector<std::int32_t> item_map(static_cast<std::size_t>(dataset.num_items), -1);
  const auto user = dataset.user.host();
  const auto item = dataset.item.host();
  for (const std::int64_t r : split.train.host()) {
    MOEGNN_CHECK(r >= 0 && r < dataset.num_ratings(), "train row ", r, " vs [0, ",
                 dataset.num_ratings(), ")");
    if (!(dataset.rating.data()[r] >= min_rating)) continue;
    user_map[static_cast<std::size_t>(user[static_cast<std::size_t>(r)])] = 0;
    item_map[static_cast<std::size_t>(item[static_cast<std::size_t>(r)])] = 0;
  }
  Interactions out;
  out.name = dataset.name;
  for (std::size_t u = 0; u < user_map.size(); ++u)
    if (user_map[u] == 0) {
      user_map[u] = static_cast<std::int32_t>(out.user_index.size());
      out.user_index.push_back(static_cast<std::int32_t>(u));
    }
  for (std::size_t i = 0; i < item_map.size(); ++i)
    if (item_map[i] == 0) {
      item_map[i] = static_cast<std::int32_t>(out.item_index.size());
      out.item_index.push_back(static_cast<std::int32_t>(i));
    }
  out.num_users = static_cast<Index>(out.user_index.size());
  out.num_items = static_cast<Index>(out.item_index.size());
  MOEGNN_CHECK(out.num_users > 0,
               "the training split holds no interaction with rating >= ", min_rating,
               " vs at least one; check the rating threshold and the split fractions");
  // 2. The three sets in the new ids.
  Index none = 0;
  out.train = remap(dataset, split.train, min_rating, user_map, item_map, out.num_users,
                    out.num_items, none);
  out.val = remap(dataset, split.val, min_rating, user_map, item_map, out.num_users, out.num_items,
                  out.dropped_val);
  out.test = remap(dataset, split.test, min_rating, user_map, item_map, out.num_users,
                   out.num_items, out.dropped_test);
  return out;
}

graph::Csr bipartite_graph(const Interactions& data) {
  std::vector<std::int32_t> src, dst;
  const auto row_ptr = data.train.row_ptr().host();
  const auto col_idx = data.train.col_idx().host();
  for (Index u = 0; u < data.num_users; ++u)
    for (auto k = row_ptr[static_cast<std::size_t>(u)];
         k < row_ptr[static_cast<std::size_t>(u) + 1]; ++k) {
      src.push_back(static_cast<std::int32_t>(u));
      dst.push_back(static_cast<std::int32_t>(data.num_users) +
                    col_idx[static_cast<std::size_t>(k)]);
    }
  graph::BuildOptions o;
  o.num_nodes = data.num_users + data.num_items;
  o.symmetric = true;
  return graph::from_coo(src, dst, std::vector<float>{}, o);
}

std::string summary(const Interactions& data) {
  std::ostringstream s;
  s << data.name << ": " << data.num_users << " users, " << data.num_items << " items, "
    << data.train.num_edges() << " train / " << data.val.num_edges() << " val / "
    << data.test.num_edges() << " test interactions (cold-start dropped: " << data.dropped_val
    << " val, " << data.dropped_test << " test)";
  return s.str();
}

}  // namespace moegnn::datasets
