// SPDX-License-Identifier: Apache-2.0
// Edge homophily.
#include "datasets/homophily.h"

#include <utility>

#include "core/error.h"
#include "core/parallel.h"

namespace moegnn::datasets {

double edge_homophily(const graph::Csr& graph, const IndexArray32& labels) {
  MOEGNN_CHECK(graph.is_square(), "graph is ", graph.num_rows(), " × ", graph.num_cols(),
               " vs square");
  MOEGNN_CHECK(labels.size() == graph.num_nodes(), "labels have ", labels.size(),
               " entries vs ", graph.num_nodes(), " nodes");
  const auto ptr = graph.row_ptr().host();
  const auto cols = graph.col_idx().host();
  const auto y = labels.host();
  // (same-label edges, non-loop edges), summed in fixed row chunks: exact integers anyway.
  using Counts = std::pair<Index, Index>;
  const Counts counts = deterministic_reduce(
      Index{0}, graph.num_nodes(), Counts{0, 0},
      [&](Index lo, Index hi) {
        Counts c{0, 0};
        for (Index row = lo; row < hi; ++row) {
          for (auto k = ptr[row]; k < ptr[row + 1]; ++k) {
            const auto col = static_cast<std::size_t>(cols[static_cast<std::size_t>(k)]);
            if (static_cast<Index>(col) == row) continue;
            c.second += 1;
            c.first += y[col] == y[static_cast<std::size_t>(row)] ? 1 : 0;
          }
        }
        return c;
      },
      [](Counts a, Counts b) { return Counts{a.first + b.first, a.second + b.second}; }, 1024);
  return counts.second == 0 ? 0.0
                            : static_cast<double>(counts.first) / static_cast<double>(counts.second);
}

}  // namespace moegnn::datasets
