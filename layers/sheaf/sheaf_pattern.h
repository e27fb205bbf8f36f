// SPDX-License-Identifier: Apache-2.0
// SheafPattern: everything about a graph the sheaf Laplacians need that does not change between
// layers, built once per graph (O(E log deg)). The Laplacian is block-CSR on the graph's own
// pattern plus one diagonal block per node (`blocks`); per layer only the block values are
// recomputed. Directed edge k is position k of the graph's CSR: row u, column v, used as the
// map F_{u◁e} of e = {u, v} (learner input [x_u ‖ x_v], source first, as the reference).
#pragma once

#include "core/index_array.h"
#include "core/tensor.h"
#include "graph/csr.h"

namespace moegnn::layers::sheaf {

struct SheafPattern {
  Index num_nodes = 0;
  graph::Csr graph;    // N × N, symmetric, no self-loops, no duplicates (2E entries)
  graph::Csr blocks;   // graph + diagonal: the Laplacian's block pattern (2E + N entries)
  IndexArray32 edge_src;    // 2E: row u of edge k
  IndexArray32 edge_dst;    // 2E: column v of edge k
  IndexArray32 edge_rev;    // 2E: position of (v, u)
  IndexArray32 half;        // E: the edges with u < v, in CSR order (one per undirected edge)
  IndexArray32 half_src;    // E: u of half[h]
  IndexArray32 half_dst;    // E: v of half[h]
  IndexArray32 half_rev;    // E: rev[half[h]]
  // Per block slot s: the row of [half blocks (E) | their transposes (E) | node blocks (N)]
  // holding B_s. A slot (u, v) with u < v is half block h; (v, u) is transposed half block h.
  IndexArray32 slot_source;
  Tensor degree;       // N × 1 graph degrees
  // The fixed coordinates' block entries, normalised by (deg + 1)^-1/2 on both sides
  // (Bodnar et al., 2022, App. "add_lp"/"add_hp"): one value per slot, nnz(blocks) × 1.
  Tensor low_pass;     // off-diagonal +1/√((d_u+1)(d_v+1)), diagonal d_u/(d_u+1) (signless)
  Tensor high_pass;    // off-diagonal −1/√((d_u+1)(d_v+1)), diagonal d_u/(d_u+1)
};

// graph: square, symmetric CPU Csr without self-loops or duplicate entries (a model's prepared
// graph). Throws InvalidArgument naming the first offending entry otherwise.
SheafPattern make_sheaf_pattern(const graph::Csr& graph);

}  // namespace moegnn::layers::sheaf
