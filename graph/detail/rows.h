// SPDX-License-Identifier: Apache-2.0
// Private: the last stage of every builder and transform. Input rows are segments of column/value
// arrays, each already sorted by column (ties in the order that decides KeepFirst); the stage merges
// duplicates, applies the self-loop policy and writes a fresh Csr. Two parallel passes (count, then
// write) around a prefix sum, so the output is identical on any thread count.
#pragma once

#include <algorithm>
#include <tuple>
#include <utility>
#include <vector>

#include "graph/builder.h"
#include "graph/csr.h"

namespace moegnn::graph::detail {

struct RowSegments {
  Index num_rows = 0;
  Index num_cols = 0;
  const EdgeId* begin = nullptr;  // num_rows + 1 offsets into col/val (segments are contiguous)
  const NodeId* col = nullptr;
  const float* val = nullptr;  // nullptr: unweighted, the result has no values
};

// Rows with duplicates merged per `duplicates` and loops per `self_loops` (loops only for square
// shapes; callers check). Trusted: the caller guarantees ids in range and sorted segments.
Csr assemble_rows(const RowSegments& rows, Duplicates duplicates, SelfLoops self_loops,
                  float self_loop_value);

// Sorts one row's (column, edge id) pairs by column, edge ids breaking ties (so the order is
// stable for repeated columns); `tmp` is scratch reused across rows.
inline void sort_row_pairs(NodeId* col, EdgeId* edge, EdgeId len,
                           std::vector<std::pair<NodeId, EdgeId>>& tmp) {
  tmp.resize(static_cast<std::size_t>(len));
  for (EdgeId i = 0; i < len; ++i) tmp[i] = {col[i], edge[i]};
  std::sort(tmp.begin(), tmp.end());
  for (EdgeId i = 0; i < len; ++i) std::tie(col[i], edge[i]) = tmp[i];
}

}  // namespace moegnn::graph::detail
