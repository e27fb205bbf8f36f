// SPDX-License-Identifier: Apache-2.0
// Private: a zero-copy Boost.Graph view of a Csr. BglView models IncidenceGraph and VertexListGraph:
// vertices are NodeIds 0..n-1, the out-edges of v are the entries of row v (edge descriptor =
// (source row, target column, edge id)), so BGL algorithms read the Csr's arrays in place. Only
// graph/*.cpp (and tests) include this; Boost stays out of public headers.
#pragma once

#include <boost/graph/graph_traits.hpp>
#include <boost/iterator/counting_iterator.hpp>
#include <boost/iterator/iterator_facade.hpp>
#include <boost/property_map/property_map.hpp>
#include <utility>

#include "graph/csr.h"

namespace moegnn::graph::detail {

struct BglView {
  Index num_vertices = 0;
  const EdgeId* row_ptr = nullptr;
  const NodeId* col_idx = nullptr;

  explicit BglView(const Csr& g)
      : num_vertices(g.num_rows()), row_ptr(g.row_ptr().host().data()),
        col_idx(g.col_idx().host().data()) {}
};

struct BglEdge {
  NodeId source = -1;  // the row
  NodeId target = -1;  // the column
  EdgeId id = -1;      // position in col_idx / values
  bool operator==(const BglEdge& other) const { return id == other.id; }
  bool operator!=(const BglEdge& other) const { return id != other.id; }
};

// Walks one row: dereferencing yields the edge descriptor by value.
class BglOutEdgeIterator
    : public boost::iterator_facade<BglOutEdgeIterator, BglEdge, std::random_access_iterator_tag,
                                    BglEdge, EdgeId> {
 public:
  BglOutEdgeIterator() = default;
  BglOutEdgeIterator(const NodeId* col_idx, NodeId source, EdgeId k)
      : col_idx_(col_idx), source_(source), k_(k) {}

 private:
  friend class boost::iterator_core_access;
  BglEdge dereference() const { return {source_, col_idx_[k_], k_}; }
  bool equal(const BglOutEdgeIterator& other) const { return k_ == other.k_; }
  void increment() { ++k_; }
  void decrement() { --k_; }
  void advance(EdgeId n) { k_ += n; }
  EdgeId distance_to(const BglOutEdgeIterator& other) const { return other.k_ - k_; }

  const NodeId* col_idx_ = nullptr;
  NodeId source_ = -1;
  EdgeId k_ = 0;
};

struct BglTraversal : boost::incidence_graph_tag, boost::vertex_list_graph_tag {};

}  // namespace moegnn::graph::detail

namespace boost {
template <>
struct graph_traits<moegnn::graph::detail::BglView> {
  using vertex_descriptor = moegnn::graph::NodeId;
  using edge_descriptor = moegnn::graph::detail::BglEdge;
  using directed_category = directed_tag;
  using edge_parallel_category = allow_parallel_edge_tag;
  using traversal_category = moegnn::graph::detail::BglTraversal;
  using out_edge_iterator = moegnn::graph::detail::BglOutEdgeIterator;
  using vertex_iterator = counting_iterator<moegnn::graph::NodeId>;
  using degree_size_type = moegnn::graph::EdgeId;
  using vertices_size_type = moegnn::Index;
  using edges_size_type = moegnn::graph::EdgeId;
  // Not modelled (AdjacencyGraph, BidirectionalGraph, EdgeListGraph).
  using adjacency_iterator = void;
  using in_edge_iterator = void;
  using edge_iterator = void;
  static vertex_descriptor null_vertex() { return -1; }
};
}  // namespace boost

namespace moegnn::graph::detail {

// The free functions BGL finds by argument-dependent lookup.
inline NodeId source(const BglEdge& e, const BglView&) { return e.source; }
inline NodeId target(const BglEdge& e, const BglView&) { return e.target; }
inline std::pair<BglOutEdgeIterator, BglOutEdgeIterator> out_edges(NodeId v, const BglView& g) {
  return {BglOutEdgeIterator(g.col_idx, v, g.row_ptr[v]),
          BglOutEdgeIterator(g.col_idx, v, g.row_ptr[v + 1])};
}
inline EdgeId out_degree(NodeId v, const BglView& g) { return g.row_ptr[v + 1] - g.row_ptr[v]; }
inline std::pair<boost::counting_iterator<NodeId>, boost::counting_iterator<NodeId>> vertices(
    const BglView& g) {
  return {boost::counting_iterator<NodeId>(0),
          boost::counting_iterator<NodeId>(static_cast<NodeId>(g.num_vertices))};
}
inline Index num_vertices(const BglView& g) { return g.num_vertices; }

// Vertex ids are their own indices.
using BglIndexMap = boost::typed_identity_property_map<NodeId>;

// Edge lengths read from the Csr's values by edge id (1 when unweighted).
struct BglWeightMap {
  using key_type = BglEdge;
  using value_type = double;
  using reference = double;
  using category = boost::readable_property_map_tag;
  const float* values = nullptr;
};
inline double get(const BglWeightMap& m, const BglEdge& e) {
  return m.values != nullptr ? static_cast<double>(m.values[e.id]) : 1.0;
}

}  // namespace moegnn::graph::detail
