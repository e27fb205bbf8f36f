// SPDX-License-Identifier: Apache-2.0
// Csr -> COO.
#include "graph/edge_list.h"

#include <algorithm>

#include "core/parallel.h"
#include "graph/detail/checks.h"

namespace moegnn::graph {

EdgeList to_edge_list(const Csr& g) {
  detail::require_cpu(g, "to_edge_list");
  EdgeList out{g.col_idx().clone(), NodeIds(g.num_edges())};
  const EdgeId* ptr = g.row_ptr().host().data();
  NodeId* dst = out.dst.host().data();
  parallel_for(0, g.num_rows(), [&](Index r) {
    std::fill(dst + ptr[r], dst + ptr[r + 1], static_cast<NodeId>(r));
  }, 2048);
  return out;
}

}  // namespace moegnn::graph
