// SPDX-License-Identifier: Apache-2.0
// Fixtures for the layer tests (MLP, SAGEConv, GATConv, GINConv, APPNP, JumpingKnowledge): tiny
// named graphs (drawn below), seeded random graphs, naive dense references written independently
// of the kernels, and a check that an exception has the right type and names the function.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/rng.h"
#include "graph/csr.h"

namespace moegnn::test {

// Edges point from source to destination; row i lists i's in-neighbours.
//
//     1 ───► 0 ◄─── 2
//     ▲     │
//     └─────┘            (0 → 1 and 1 → 0; node 2 has no in-edges)
//
// Rows: 0 {1, 2}, 1 {0}, 2 {}.
inline graph::Csr small_graph() {
  return graph::Csr(3, 3, graph::EdgeIds{0, 2, 3, 3}, graph::NodeIds{1, 2, 0});
}

// The first two rows of small_graph() as a sampled block: 2 targets (nodes 0 and 1, which are also
// the first two sources) and 3 sources.
inline graph::Csr small_block() {
  return graph::Csr(2, 3, graph::EdgeIds{0, 2, 3}, graph::NodeIds{1, 2, 0});
}

// n × n, each (i, j) present with probability `density` (self-loops included), sorted columns;
// every fourth row (0, 4, 8, ...) is empty.
inline graph::Csr random_graph(Index n, double density, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<graph::EdgeId> row_ptr{0};
  std::vector<graph::NodeId> col_idx;
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < n; ++j)
      if (rng.uniform() < density && i % 4 != 0) col_idx.push_back(static_cast<graph::NodeId>(j));
    row_ptr.push_back(static_cast<graph::EdgeId>(col_idx.size()));
  }
  return graph::Csr(n, n, graph::EdgeIds(row_ptr), graph::NodeIds(col_idx));
}

// The graph as a dense matrix (values, or 1 per edge).
inline Matrix dense(const graph::Csr& a) {
  Matrix m = Matrix::Zero(a.num_rows(), a.num_cols());
  for (Index i = 0; i < a.num_rows(); ++i)
    for (graph::EdgeId k = a.row_ptr()[i]; k < a.row_ptr()[i + 1]; ++k)
      m(i, a.col_idx()[k]) += a.has_values() ? a.values().data()[k] : 1.0f;
  return m;
}

// Naive triple-loop product, independent of Eigen's GEMM.
inline Matrix product(const Matrix& a, const Matrix& b) {
  Matrix out = Matrix::Zero(a.rows(), b.cols());
  for (Index i = 0; i < a.rows(); ++i)
    for (Index k = 0; k < a.cols(); ++k)
      for (Index j = 0; j < b.cols(); ++j) out(i, j) += a(i, k) * b(k, j);
  return out;
}

// m with `row` (1 × n) added to every row.
inline Matrix plus_row(Matrix m, const Tensor& row) {
  for (Index i = 0; i < m.rows(); ++i)
    for (Index j = 0; j < m.cols(); ++j) m(i, j) += row.data()[j];
  return m;
}

// Expects `f` to throw exactly Error with `name` in its message.
template <typename Error>
void expect_error(const std::function<void()>& f, const std::string& name) {
  try {
    f();
    ADD_FAILURE() << "expected an exception naming " << name;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type: " << e.what();
  }
}

}  // namespace moegnn::test
