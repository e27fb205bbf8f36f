// SPDX-License-Identifier: Apache-2.0
// EdgeList: a graph's edges as two parallel id arrays (COO), the form link prediction scores, splits
// and negative sampling work with. Edge k is (src[k] -> dst[k]).
#pragma once

#include "graph/csr.h"

namespace moegnn::graph {

struct EdgeList {
  NodeIds src;
  NodeIds dst;
  Index size() const { return src.size(); }
};

// The edges of g in storage order (row by row, columns ascending): src = column, dst = row, so edge
// k of the list is edge k of g. g on the CPU; throws InvalidArgument otherwise.
EdgeList to_edge_list(const Csr& g);

}  // namespace moegnn::graph
