// SPDX-License-Identifier: Apache-2.0
// Homophily measures of a labelled graph: how much edges prefer nodes of the same class.
#pragma once

#include "core/index_array.h"
#include "graph/csr.h"

namespace moegnn::datasets {

// Edge homophily (Zhu et al., 2020): the fraction of edges whose two endpoints share a label,
// counting every stored (directed) entry of `graph` once and skipping self-loops. 0 for a graph
// with no such edges. labels: one per node. Throws InvalidArgument when labels.size() differs from
// the node count or the graph is not square.
double edge_homophily(const graph::Csr& graph, const IndexArray32& labels);

}  // namespace moegnn::datasets
