// SPDX-License-Identifier: Apache-2.0
// Classic graph algorithms from Boost.Graph, run on a Csr without copying it: a private view type
// (graph/detail/bgl_view.h) models BGL's IncidenceGraph and VertexListGraph over the Csr's arrays.
// The view's out-edges of v are row v, i.e. v's in-neighbours, so traversals walk edges backwards,
// the way messages travel: bfs_distances(g, s)[v] is the length of the shortest path v -> ... -> s,
// the number of message-passing layers after which v's features reach s (consistent with
// k_hop_nodes). Pass g.transpose() to follow edges forwards. Boost never appears in this header.
// CPU graphs only.
#pragma once

#include <vector>

#include "graph/csr.h"

namespace moegnn::graph {

// Hop counts of every node to `source` (-1 when source is unreachable from it), by BGL's
// breadth_first_search. Throws InvalidArgument for a non-square graph, a source out of range or a
// graph on another device.
std::vector<Index> bfs_distances(const Csr& g, NodeId source);

// Weighted distances of every node to `source` (edge values as lengths, 1 when g has none;
// +infinity when unreachable), by BGL's dijkstra_shortest_paths. Throws as bfs_distances, and for a
// negative or non-finite edge value (naming the edge).
std::vector<double> dijkstra_distances(const Csr& g, NodeId source);

// Weakly connected components (edge direction ignored) by Boost's union-find
// (boost::disjoint_sets). Label c is the c-th component met in node order, so node 0 has label 0.
// Throws InvalidArgument for a non-square graph or one on another device.
std::vector<NodeId> connected_components(const Csr& g);

// Strongly connected components by BGL's strong_components (Tarjan), relabelled as
// connected_components does. Throws as connected_components.
std::vector<NodeId> strongly_connected_components(const Csr& g);

}  // namespace moegnn::graph
