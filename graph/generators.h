// SPDX-License-Identifier: Apache-2.0
// Seeded random graph generators for tests and benchmarks. The same seed gives the same graph on any
// thread count: edge e is drawn from Rng::bits(seed, e) alone, and the builder is deterministic.
#pragma once

#include <cstdint>

#include "graph/csr.h"

namespace moegnn::graph {

// R-MAT (Chakrabarti, Zhan & Faloutsos, 2004): each edge picks a quadrant recursively with
// probabilities a, b, c, 1 - a - b - c, giving a power-law degree distribution. num_nodes need not be
// a power of two (ids beyond num_nodes are redrawn). Duplicates are merged; `symmetric` adds reverse
// edges; `self_loops` adds one loop per node (after removing drawn ones); without it drawn loops are
// removed too. `scramble` relabels nodes by a seeded random permutation, as Graph500 does, so that
// hubs do not cluster at small ids (which would flatter cache behaviour in benchmarks).
struct RmatOptions {
  Index num_nodes = 0;
  EdgeId num_edges = 0;  // edges drawn before symmetrisation and merging
  double a = 0.57;
  double b = 0.19;
  double c = 0.19;
  bool symmetric = true;
  bool self_loops = true;
  bool scramble = true;
  std::uint64_t seed = 1;
};
// Throws InvalidArgument for num_nodes outside [1, 2^31 - 1] (or 0 with num_edges == 0), a negative
// num_edges, or probabilities that are negative or sum past 1.
Csr rmat(const RmatOptions& options);

// ogbn-arxiv scale: 169,343 nodes and about 2.32M directed edges after symmetrisation and self-loops
// (the SpMM and GCN benchmark graph of the foundation issue). Unweighted, square, columns sorted.
Csr arxiv_scale_graph(std::uint64_t seed = 1);

// Erdős–Rényi G(n, m) by uniform draws: num_edges (src, dst) pairs drawn uniformly with the same
// merging and loop handling as rmat(). A flat degree distribution, for tests that want no hubs.
// Throws InvalidArgument as rmat() does.
Csr uniform_random_graph(Index num_nodes, EdgeId num_edges, bool symmetric = true,
                         bool self_loops = false, std::uint64_t seed = 1);

}  // namespace moegnn::graph
