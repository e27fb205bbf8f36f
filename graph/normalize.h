// SPDX-License-Identifier: Apache-2.0
// Degrees and the adjacency normalisations GNN layers aggregate with: GCN's symmetric
// D^-1/2 (A + I) D^-1/2 (Kipf & Welling, 2017, eq. 2) and the row (mean) normalisation D^-1 A. Rows
// are destinations, so a node's in-degree is its row length and "degree" in both normalisations is
// the (weighted) in-degree, as in PyG's gcn_norm with flow = "source_to_target". CPU graphs only;
// every function throws InvalidArgument for a graph on another device.
#pragma once

#include "core/tensor.h"
#include "graph/csr.h"

namespace moegnn::graph {

// Edge counts: in_degrees has num_rows entries (row lengths), out_degrees num_cols (column counts).
EdgeIds in_degrees(const Csr& g);
EdgeIds out_degrees(const Csr& g);

// Sums of edge values (1 per edge when g has none): num_rows × 1 over rows, num_cols × 1 over columns.
// Summed in storage order in double, then rounded: the same on any thread count.
Tensor weighted_in_degrees(const Csr& g);
Tensor weighted_out_degrees(const Csr& g);

struct GcnNormOptions {
  // true: add a loop with fill_value to nodes that have none (existing loops keep their values);
  // false: use the graph as it is (loops assumed present where wanted).
  bool add_self_loops = true;
  float fill_value = 1.0f;  // 2 gives the "improved" GCN of PyG
};

// The same structure (plus any added loops) with values d_i^-1/2 · w_ij · d_j^-1/2, where d is the
// weighted in-degree after the loops are added; a node with zero degree gets factor 0. Square graphs
// only: throws InvalidArgument otherwise.
Csr gcn_norm(const Csr& g, const GcnNormOptions& options = {});

// The same structure with values w_ij / d_i (d = weighted in-degree, rows summing to 1; rows whose
// weights sum to 0 get 0), so SpMM with it is mean aggregation. Any shape.
Csr row_norm(const Csr& g);

}  // namespace moegnn::graph
