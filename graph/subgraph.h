// SPDX-License-Identifier: Apache-2.0
// Node-induced subgraphs and k-hop closures: the pieces of Mowst's efficient inference (run the
// experts only on the nodes a batch's prediction can depend on). Hops follow in-edges (row lists),
// the direction messages travel: the k-hop closure of S holds every node whose features reach S
// through k rounds of message passing. CPU graphs only.
#pragma once

#include "graph/csr.h"

namespace moegnn::graph {

struct Subgraph {
  Csr graph;         // k × k over local ids, rows sorted; values carried when the parent has them
  NodeIds nodes;     // local id i -> global id nodes[i]
  EdgeIds edge_ids;  // edge e of `graph` is edge edge_ids[e] of the parent (for edge features)
};

// The subgraph on `nodes` (distinct ids, any order; local id i is nodes[i]) with every edge whose
// two ends are in it. Throws InvalidArgument for a non-square graph, an id out of range or repeated
// (naming the position), or a graph on another device.
Subgraph induced_subgraph(const Csr& g, const NodeIds& nodes);

// Sorted ids of the nodes within num_hops in-edge hops of `seeds` (seeds included; repeats allowed).
// Throws InvalidArgument for num_hops < 0, a seed out of range, a non-square graph or one on another
// device.
NodeIds k_hop_nodes(const Csr& g, const NodeIds& seeds, int num_hops);

// induced_subgraph(g, k_hop_nodes(g, seeds, num_hops)): local ids follow global order. Throws as both.
Subgraph k_hop_subgraph(const Csr& g, const NodeIds& seeds, int num_hops);

// The columns of a (any shape) that hold at least one entry, ascending, and a with its columns
// renumbered into them: a.num_rows() × columns.size(), the same rows in the same order, values
// carried. Lets a model compute a per-node quantity only on the nodes a sparse product reads
// (NCN's xlin on the batch's common neighbours). Throws InvalidArgument for a graph on another
// device.
struct ColumnSubset {
  NodeIds columns;  // local column c -> column columns[c] of a
  Csr csr;
};
ColumnSubset compact_columns(const Csr& a);

}  // namespace moegnn::graph
