// SPDX-License-Identifier: Apache-2.0
// Shared helpers for the graph tests: a Csr built straight from hand-written rows (no builder in the
// way), a dense copy for naive references, equality checks that name the first difference, and
// tiny named graphs drawn in ASCII. Edge (src -> dst) lives in row dst, column src.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "graph/csr.h"

namespace moegnn::graph::fixtures {

// Csr from rows given as column lists (and optional values in the same layout).
inline Csr csr_from_rows(const std::vector<std::vector<NodeId>>& rows, Index num_cols = -1,
                         const std::vector<std::vector<float>>& values = {}) {
  std::vector<EdgeId> ptr{0};
  std::vector<NodeId> cols;
  std::vector<float> vals;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    cols.insert(cols.end(), rows[r].begin(), rows[r].end());
    if (!values.empty()) vals.insert(vals.end(), values[r].begin(), values[r].end());
    ptr.push_back(static_cast<EdgeId>(cols.size()));
  }
  const auto n = static_cast<Index>(rows.size());
  Tensor v = values.empty() ? Tensor() : Tensor::from_vector(static_cast<Index>(vals.size()), 1, vals);
  return Csr(n, num_cols < 0 ? n : num_cols, EdgeIds(ptr), NodeIds(cols), v);
}

// Dense num_rows × num_cols copy; structural entries without values count as 1; duplicates add up.
inline std::vector<std::vector<float>> dense(const Csr& g) {
  std::vector<std::vector<float>> d(static_cast<std::size_t>(g.num_rows()),
                                    std::vector<float>(static_cast<std::size_t>(g.num_cols()), 0));
  const auto ptr = g.row_ptr().host();
  const auto col = g.col_idx().host();
  for (Index r = 0; r < g.num_rows(); ++r)
    for (EdgeId k = ptr[r]; k < ptr[r + 1]; ++k)
      d[r][col[k]] += g.has_values() ? g.values().data()[k] : 1.0f;
  return d;
}

inline std::vector<float> values_of(const Csr& g) {
  if (!g.has_values()) return {};
  return std::vector<float>(g.values().data(), g.values().data() + g.num_edges());
}

// Same shape, offsets, columns and values (bit for bit).
inline ::testing::AssertionResult same_csr(const Csr& a, const Csr& b) {
  if (a.num_rows() != b.num_rows() || a.num_cols() != b.num_cols())
    return ::testing::AssertionFailure() << "shape " << a.num_rows() << "×" << a.num_cols()
                                         << " vs " << b.num_rows() << "×" << b.num_cols();
  if (a.row_ptr().to_vector() != b.row_ptr().to_vector())
    return ::testing::AssertionFailure() << "row_ptr differs";
  const auto ca = a.col_idx().to_vector();
  const auto cb = b.col_idx().to_vector();
  for (std::size_t k = 0; k < std::min(ca.size(), cb.size()); ++k)
    if (ca[k] != cb[k])
      return ::testing::AssertionFailure() << "col_idx[" << k << "] " << ca[k] << " vs " << cb[k];
  if (a.has_values() != b.has_values()) return ::testing::AssertionFailure() << "values presence";
  const auto va = values_of(a);
  const auto vb = values_of(b);
  for (std::size_t k = 0; k < va.size(); ++k)
    if (va[k] != vb[k])
      return ::testing::AssertionFailure() << "values[" << k << "] " << va[k] << " vs " << vb[k];
  return ::testing::AssertionSuccess();
}

// Every row's columns strictly increasing (no duplicates) or, with allow_equal, non-decreasing.
inline bool rows_sorted(const Csr& g, bool allow_equal = false) {
  const auto ptr = g.row_ptr().host();
  const auto col = g.col_idx().host();
  for (Index r = 0; r < g.num_rows(); ++r)
    for (EdgeId k = ptr[r] + 1; k < ptr[r + 1]; ++k)
      if (col[k] < col[k - 1] || (!allow_equal && col[k] == col[k - 1])) return false;
  return true;
}

// "diamond", directed, edges point right/down:
//
//     0 ──> 1
//     │     │
//     v     v
//     2 ──> 3 ──> 4
//
// in-neighbour rows: 0: {}, 1: {0}, 2: {0}, 3: {1, 2}, 4: {3}
inline Csr diamond() { return csr_from_rows({{}, {0}, {0}, {1, 2}, {3}}); }

// "two_triangles", undirected (both directions stored), two components:
//
//     0 ─ 1     3 ─ 4
//      \ /       \ /
//       2         5
inline Csr two_triangles() {
  return csr_from_rows({{1, 2}, {0, 2}, {0, 1}, {4, 5}, {3, 5}, {3, 4}});
}

// "weighted_path", undirected path 0 ─ 1 ─ 2 ─ 3 with weights w(0,1) = 1, w(1,2) = 2, w(2,3) = 4.
inline Csr weighted_path() {
  return csr_from_rows({{1}, {0, 2}, {1, 3}, {2}}, -1, {{1}, {1, 2}, {2, 4}, {4}});
}

}  // namespace moegnn::graph::fixtures
