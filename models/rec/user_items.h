// SPDX-License-Identifier: Apache-2.0
// Reading a users × items graph::Csr (rows = users, columns = items, each row sorted and
// distinct: datasets::make_user_items) as per-user item lists.
#pragma once

#include <algorithm>
#include <span>

#include "graph/csr.h"

namespace moegnn::rec {

// The items of `user` (ascending). No bounds check.
inline std::span<const graph::NodeId> items_of(const graph::Csr& lists, Index user) {
  const graph::EdgeId* row_ptr = lists.row_ptr().host().data();
  const auto u = static_cast<std::size_t>(user);
  return {lists.col_idx().host().data() + row_ptr[u],
          static_cast<std::size_t>(row_ptr[u + 1] - row_ptr[u])};
}

// Binary search in the user's list.
inline bool has_item(const graph::Csr& lists, Index user, graph::NodeId item) {
  const auto list = items_of(lists, user);
  return std::binary_search(list.begin(), list.end(), item);
}

}  // namespace moegnn::rec
