// SPDX-License-Identifier: Apache-2.0
// Seeded random graph generators for tests and benchmarks. The same seed gives the same graph on any
// thread count.
#pragma once

#include <cstdint>

#include "graph/csr.h"

namespace moegnn::graph {

// R-MAT (Chakrabarti, Zhan & Faloutsos, 2004): each edge picks a quadrant recursively with
// probabilities a, b, c, 1 - a - b - c, giving a power-law degree distribution. num_nodes need not be
// a power of two (ids beyond num_nodes are redrawn). Duplicates are merged; `symmetric` adds reverse
// edges; `self_loops` adds one loop per node (after removing drawn ones).
struct RmatOptions {
  Index num_nodes = 0;
  EdgeId num_edges = 0;  // edges drawn before symmetrisation and merging
  double a = 0.57;
  double b = 0.19;
  double c = 0.19;
  bool symmetric = true;
  bool self_loops = true;
  std::uint64_t seed = 1;
};
Csr rmat(const RmatOptions& options);

// ogbn-arxiv scale: 169,343 nodes and about 2.3M directed edges after symmetrisation and self-loops
// (the SpMM and GCN benchmark graph of the foundation issue).
Csr arxiv_scale_graph(std::uint64_t seed = 1);

}  // namespace moegnn::graph
