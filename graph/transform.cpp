// SPDX-License-Identifier: Apache-2.0
// Self-loop, symmetrisation and merging transforms. Sorted inputs go straight to
// detail::assemble_rows (one counting pass, one writing pass); unsorted ones take the builder's path.
#include "graph/transform.h"

#include "graph/detail/checks.h"
#include "graph/detail/rows.h"
#include "graph/edge_list.h"

namespace moegnn::graph {
namespace {

Csr rebuild(const Csr& g, Duplicates duplicates, SelfLoops loops, float fill, bool symmetric) {
  BuildOptions o;
  o.num_nodes = g.num_rows();
  o.num_src_nodes = g.num_cols();
  o.duplicates = duplicates;
  o.self_loops = loops;
  o.self_loop_value = fill;
  o.symmetric = symmetric;
  const EdgeList edges = to_edge_list(g);
  return from_coo(edges.src, edges.dst, g.values(), o);
}

Csr apply(const Csr& g, Duplicates duplicates, SelfLoops loops, float fill, const char* function) {
  detail::require_cpu(g, function);
  if (loops != SelfLoops::Keep) detail::require_square(g, function);
  if (!detail::rows_sorted(g)) return rebuild(g, duplicates, loops, fill, false);
  const detail::RowSegments rows{g.num_rows(), g.num_cols(), g.row_ptr().host().data(),
                                 g.col_idx().host().data(),
                                 g.has_values() ? g.values().data() : nullptr};
  return detail::assemble_rows(rows, duplicates, loops, fill);
}

}  // namespace

Csr add_self_loops(const Csr& g, float fill_value) {
  return apply(g, Duplicates::Keep, SelfLoops::Add, fill_value, "add_self_loops");
}

Csr add_remaining_self_loops(const Csr& g, float fill_value) {
  return apply(g, Duplicates::Keep, SelfLoops::AddRemaining, fill_value, "add_remaining_self_loops");
}

Csr remove_self_loops(const Csr& g) {
  return apply(g, Duplicates::Keep, SelfLoops::Remove, 0.0f, "remove_self_loops");
}

Csr coalesce(const Csr& g, Duplicates duplicates) {
  return apply(g, duplicates, SelfLoops::Keep, 0.0f, "coalesce");
}

Csr to_undirected(const Csr& g, Duplicates duplicates) {
  detail::require_cpu(g, "to_undirected");
  detail::require_square(g, "to_undirected");
  return rebuild(g, duplicates, SelfLoops::Keep, 0.0f, true);
}

}  // namespace moegnn::graph
