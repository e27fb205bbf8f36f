// SPDX-License-Identifier: Apache-2.0
// Reorderings and relabelling. Degree order is a counting sort by row length; RCM is Boost.Graph's
// cuthill_mckee_ordering run on the zero-copy BglView of A + Aᵀ, fed one start node per component
// (BGL's own per-component search resets the whole colour map for every component, quadratic on a
// graph with tens of thousands of isolated nodes); BFS is a plain queue walk. permute() gathers
// each new row from its old row in parallel and sorts it, so its output is a function of its input
// only.
#include "graph/reorder.h"

#include <algorithm>
#include <deque>
#include <iterator>
#include <utility>

#include <boost/graph/cuthill_mckee_ordering.hpp>
#include <boost/graph/properties.hpp>

#include "core/ops/shape.h"
#include "core/parallel.h"
#include "graph/boost_adapter.h"
#include "graph/detail/bgl_view.h"
#include "graph/detail/checks.h"
#include "graph/detail/rows.h"
#include "graph/detail/scan.h"
#include "graph/transform.h"

namespace moegnn::graph {
namespace {

void check_graph(const Csr& g, const char* function) {
  detail::require_cpu(g, function);
  detail::require_square(g, function);
}

// Row lengths (in-degrees).
std::vector<EdgeId> row_lengths(const Csr& g) {
  const EdgeId* ptr = g.row_ptr().host().data();
  std::vector<EdgeId> deg(static_cast<std::size_t>(g.num_rows()));
  parallel_for(
      0, g.num_rows(), [&](Index i) { deg[i] = ptr[i + 1] - ptr[i]; }, 1 << 14);
  return deg;
}

// Node ids by descending degree, ties by ascending id (a stable counting sort).
std::vector<NodeId> by_descending_degree(const std::vector<EdgeId>& deg) {
  const EdgeId max_deg = deg.empty() ? 0 : *std::max_element(deg.begin(), deg.end());
  std::vector<EdgeId> start(static_cast<std::size_t>(max_deg) + 2, 0);
  for (const EdgeId d : deg) ++start[static_cast<std::size_t>(max_deg - d) + 1];
  for (std::size_t b = 1; b < start.size(); ++b) start[b] += start[b - 1];
  std::vector<NodeId> order(deg.size());
  for (std::size_t v = 0; v < deg.size(); ++v)
    order[static_cast<std::size_t>(start[static_cast<std::size_t>(max_deg - deg[v])]++)] =
        static_cast<NodeId>(v);
  return order;
}

// new_of_old from old ids listed in their new order.
std::vector<NodeId> invert_order(const std::vector<NodeId>& old_of_new) {
  std::vector<NodeId> new_of_old(old_of_new.size());
  parallel_for(
      0, static_cast<Index>(old_of_new.size()),
      [&](Index k) { new_of_old[old_of_new[k]] = static_cast<NodeId>(k); }, 1 << 14);
  return new_of_old;
}

// A + Aᵀ without values; `g` itself when it is already symmetric with sorted rows (the cached
// transpose is then equal to it, array for array).
Csr symmetric_structure(const Csr& g) {
  const Csr& t = g.transpose();
  const auto same = [](auto a, auto b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  };
  if (same(g.row_ptr().host(), t.row_ptr().host()) && same(g.col_idx().host(), t.col_idx().host()))
    return g.with_values(Tensor());
  return to_undirected(g.with_values(Tensor()));
}

std::vector<NodeId> degree_order(const Csr& g) {
  return invert_order(by_descending_degree(row_lengths(g)));
}

// One start per component for Cuthill-McKee: BGL's pseudo-peripheral search on components with more
// than two nodes (any node of a smaller one is peripheral), started from the component's first
// node.
std::deque<NodeId> rcm_starts(const Csr& s, const detail::BglView& view) {
  const std::vector<NodeId> label = connected_components(s);
  std::vector<NodeId> first;
  std::vector<Index> size;
  for (std::size_t v = 0; v < label.size(); ++v) {
    const auto c = static_cast<std::size_t>(label[v]);
    if (c == first.size()) {
      first.push_back(static_cast<NodeId>(v));
      size.push_back(0);
    }
    ++size[c];
  }
  std::vector<boost::default_color_type> colors(label.size(), boost::white_color);
  const auto color = boost::make_iterator_property_map(colors.begin(), detail::BglIndexMap());
  std::deque<NodeId> starts;
  for (std::size_t c = 0; c < first.size(); ++c)
    starts.push_back(size[c] > 2 ? boost::find_starting_node(view, first[c], color,
                                                             boost::make_out_degree_map(view))
                                 : first[c]);
  return starts;
}

std::vector<NodeId> rcm_order(const Csr& g) {
  const Csr s = symmetric_structure(g);
  const detail::BglView view(s);
  std::vector<boost::default_color_type> colors(static_cast<std::size_t>(s.num_rows()));
  std::vector<NodeId> order;
  order.reserve(colors.size());
  boost::cuthill_mckee_ordering(
      view, rcm_starts(s, view), std::back_inserter(order),
      boost::make_iterator_property_map(colors.begin(), detail::BglIndexMap()),
      boost::make_out_degree_map(view));
  MOEGNN_ASSERT(order.size() == colors.size());
  std::reverse(order.begin(), order.end());  // Cuthill-McKee order reversed: RCM
  return invert_order(order);
}

// Breadth-first over A + Aᵀ, neighbours in column order; each new component starts at the
// highest-degree node not yet reached.
std::vector<NodeId> bfs_order(const Csr& g) {
  const Csr s = symmetric_structure(g);
  const EdgeId* ptr = s.row_ptr().host().data();
  const NodeId* col = s.col_idx().host().data();
  const std::vector<NodeId> hubs = by_descending_degree(row_lengths(s));
  std::vector<char> seen(hubs.size(), 0);
  std::vector<NodeId> order;
  order.reserve(hubs.size());
  for (const NodeId start : hubs) {
    if (seen[start] != 0) continue;
    seen[start] = 1;
    std::size_t head = order.size();  // order[head, end) is the queue
    order.push_back(start);
    for (; head < order.size(); ++head) {
      const NodeId v = order[head];
      for (EdgeId k = ptr[v]; k < ptr[v + 1]; ++k)
        if (seen[col[k]] == 0) {
          seen[col[k]] = 1;
          order.push_back(col[k]);
        }
    }
  }
  return invert_order(order);
}


}  // namespace

std::string_view to_string(Reorder method) {
  switch (method) {
  case Reorder::Degree:
    return "degree";
  case Reorder::Rcm:
    return "rcm";
  case Reorder::Bfs:
    return "bfs";
  }
  return "unknown";
}

std::vector<NodeId> reorder_permutation(const Csr& g, Reorder method) {
  check_graph(g, "reorder_permutation");
  switch (method) {
  case Reorder::Degree:
    return degree_order(g);
  case Reorder::Rcm:
    return rcm_order(g);
  case Reorder::Bfs:
    return bfs_order(g);
  }
  MOEGNN_FAIL(InvalidArgument, "reorder_permutation", "method ", static_cast<int>(method),
              " vs Degree, Rcm or Bfs");
}

std::vector<NodeId> inverse_permutation(std::span<const NodeId> new_of_old, const char* function) {
  const auto n = static_cast<Index>(new_of_old.size());
  std::vector<NodeId> old_of_new(new_of_old.size(), -1);
  for (Index i = 0; i < n; ++i) {
    const NodeId p = new_of_old[static_cast<std::size_t>(i)];
    MOEGNN_CHECK_AS(InvalidArgument, function, p >= 0 && p < n, "new_of_old[", i, "] = ", p,
                    " out of range vs [0, ", n, "); a permutation of the node ids");
    NodeId& slot = old_of_new[static_cast<std::size_t>(p)];
    MOEGNN_CHECK_AS(InvalidArgument, function, slot < 0, "new_of_old[", i, "] = ", p,
                    " repeats new_of_old[", slot, "] vs a permutation of the node ids");
    slot = static_cast<NodeId>(i);
  }
  return old_of_new;
}

Csr permute(const Csr& g, std::span<const NodeId> new_of_old) {
  // 1. Validate.
  check_graph(g, "permute");
  const Index n = g.num_rows();
  MOEGNN_CHECK(static_cast<Index>(new_of_old.size()) == n, "new_of_old has ", new_of_old.size(),
               " entries vs ", n, " nodes");
  const std::vector<NodeId> old_of_new = inverse_permutation(new_of_old, "permute");
  const EdgeId* ptr = g.row_ptr().host().data();
  const NodeId* col = g.col_idx().host().data();
  // 2. New row r is old row old_of_new[r]: offsets from its length.
  EdgeIds row_ptr(n + 1);
  EdgeId* out_ptr = row_ptr.host().data();
  parallel_for(
      0, n, [&](Index r) { out_ptr[r + 1] = ptr[old_of_new[r] + 1] - ptr[old_of_new[r]]; },
      1 << 14);
  detail::counts_to_offsets(out_ptr, n);
  // 3. Relabel the columns and sort each row; with values, remember every edge's old id.
  const EdgeId nnz = g.num_edges();
  const bool weighted = g.has_values();
  NodeIds col_idx(nnz);
  std::vector<EdgeId> old_edge(weighted ? static_cast<std::size_t>(nnz) : 0);
  NodeId* out_col = col_idx.host().data();
  parallel_for_range(
      0, n,
      [&](Index lo, Index hi) {
        std::vector<std::pair<NodeId, EdgeId>> tmp;
        for (Index r = lo; r < hi; ++r) {
          const EdgeId b = ptr[old_of_new[r]];
          const EdgeId len = ptr[old_of_new[r] + 1] - b;
          NodeId* row = out_col + out_ptr[r];
          for (EdgeId i = 0; i < len; ++i)
            row[i] = new_of_old[static_cast<std::size_t>(col[b + i])];
          if (!weighted) {
            std::sort(row, row + len);  // equal columns are indistinguishable without values
            continue;
          }
          EdgeId* edge = old_edge.data() + out_ptr[r];
          for (EdgeId i = 0; i < len; ++i) edge[i] = b + i;
          detail::sort_row_pairs(row, edge, len, tmp);
        }
      },
      1024);
  // 4. Values follow their edges.
  Tensor values;
  if (weighted) {
    values = Tensor::empty(nnz, 1);
    const float* src = g.values().data();
    float* dst = values.data();
    parallel_for(
        0, nnz, [&](Index e) { dst[e] = src[old_edge[static_cast<std::size_t>(e)]]; }, 1 << 14);
  }
  return Csr(n, n, std::move(row_ptr), std::move(col_idx), std::move(values), Validate::Trusted);
}

Tensor permute_rows(const Tensor& x, std::span<const NodeId> new_of_old) {
  MOEGNN_CHECK(static_cast<Index>(new_of_old.size()) == x.rows(), "new_of_old has ",
               new_of_old.size(), " entries vs x with ", x.rows(), " rows");
  // out[r] = x[old_of_new[r]]: the row gather of core/ops, on x's device.
  const NodeIds index(inverse_permutation(new_of_old, "permute_rows"));
  return ops::gather_rows(x, index.to(x.device()));
}

}  // namespace moegnn::graph
