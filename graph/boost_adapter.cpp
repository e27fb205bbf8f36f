// SPDX-License-Identifier: Apache-2.0
// Boost.Graph algorithms over the zero-copy BglView (graph/detail/bgl_view.h). BGL's own traversal
// code runs on the Csr arrays; our part is validation, the property maps and canonical labels.
#include "graph/boost_adapter.h"

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/graph/two_bit_color_map.hpp>
#include <boost/pending/disjoint_sets.hpp>
#include <cmath>
#include <limits>

#include "graph/detail/bgl_view.h"
#include "graph/detail/checks.h"

namespace moegnn::graph {
namespace {

void check(const Csr& g, const char* function) {
  detail::require_cpu(g, function);
  detail::require_square(g, function);
}

void check_source(const Csr& g, NodeId source, const char* function) {
  MOEGNN_CHECK_AS(InvalidArgument, function, source >= 0 && source < g.num_rows(), "source ",
                  source, " out of range vs [0, ", g.num_rows(), ")");
}

// Renumbers labels so that label c is the c-th distinct label met in node order.
std::vector<NodeId> canonical(const std::vector<NodeId>& labels) {
  std::vector<NodeId> first(labels.size(), -1);
  std::vector<NodeId> out(labels.size());
  NodeId next = 0;
  for (std::size_t v = 0; v < labels.size(); ++v) {
    NodeId& slot = first[static_cast<std::size_t>(labels[v])];
    if (slot < 0) slot = next++;
    out[v] = slot;
  }
  return out;
}

}  // namespace

std::vector<Index> bfs_distances(const Csr& g, NodeId source) {
  check(g, "bfs_distances");
  check_source(g, source, "bfs_distances");
  const detail::BglView view(g);
  const detail::BglIndexMap index;
  std::vector<Index> dist(static_cast<std::size_t>(g.num_rows()), -1);
  dist[static_cast<std::size_t>(source)] = 0;
  auto dist_map = boost::make_iterator_property_map(dist.begin(), index);
  boost::breadth_first_search(
      view, source,
      boost::visitor(boost::make_bfs_visitor(boost::record_distances(dist_map, boost::on_tree_edge())))
          .vertex_index_map(index)
          .color_map(boost::two_bit_color_map<detail::BglIndexMap>(
              static_cast<std::size_t>(g.num_rows()), index)));
  return dist;
}

std::vector<double> dijkstra_distances(const Csr& g, NodeId source) {
  check(g, "dijkstra_distances");
  check_source(g, source, "dijkstra_distances");
  const float* values = g.has_values() ? g.values().data() : nullptr;
  if (values != nullptr) {
    const Index bad = detail::first_position(
        g.num_edges(), [&](Index k) { return !(values[k] >= 0.0f) || std::isinf(values[k]); });
    MOEGNN_CHECK(bad == g.num_edges(), "edge ", bad, " has length ",
                 bad < g.num_edges() ? values[bad] : 0.0f, " vs finite and >= 0");
  }
  const detail::BglView view(g);
  const detail::BglIndexMap index;
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> dist(static_cast<std::size_t>(g.num_rows()), inf);
  boost::dijkstra_shortest_paths(
      view, source,
      boost::weight_map(detail::BglWeightMap{values})
          .vertex_index_map(index)
          .distance_map(boost::make_iterator_property_map(dist.begin(), index))
          .predecessor_map(boost::dummy_property_map())
          .distance_inf(inf)
          .distance_zero(0.0));
  return dist;
}

std::vector<NodeId> connected_components(const Csr& g) {
  check(g, "connected_components");
  const auto n = static_cast<std::size_t>(g.num_rows());
  std::vector<NodeId> rank(n, 0);
  std::vector<NodeId> parent(n);
  // Iterator property maps (not raw pointers): BGL finds their get/put by argument-dependent lookup.
  const detail::BglIndexMap index;
  auto rank_map = boost::make_iterator_property_map(rank.begin(), index);
  auto parent_map = boost::make_iterator_property_map(parent.begin(), index);
  boost::disjoint_sets<decltype(rank_map), decltype(parent_map)> sets(rank_map, parent_map);
  for (std::size_t v = 0; v < n; ++v) sets.make_set(static_cast<NodeId>(v));
  const EdgeId* ptr = g.row_ptr().host().data();
  const NodeId* col = g.col_idx().host().data();
  for (std::size_t r = 0; r < n; ++r)
    for (EdgeId k = ptr[r]; k < ptr[r + 1]; ++k) sets.union_set(static_cast<NodeId>(r), col[k]);
  std::vector<NodeId> roots(n);
  for (std::size_t v = 0; v < n; ++v) roots[v] = sets.find_set(static_cast<NodeId>(v));
  return canonical(roots);
}

std::vector<NodeId> strongly_connected_components(const Csr& g) {
  check(g, "strongly_connected_components");
  const detail::BglView view(g);
  const detail::BglIndexMap index;
  std::vector<NodeId> component(static_cast<std::size_t>(g.num_rows()), 0);
  boost::strong_components(view, boost::make_iterator_property_map(component.begin(), index),
                           boost::vertex_index_map(index));
  return canonical(component);
}

}  // namespace moegnn::graph
