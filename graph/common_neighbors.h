// SPDX-License-Identifier: Apache-2.0
// Common neighbours of node pairs: for every target pair (i, j) of a batch, the sorted set
// N(i) ∩ N(j) of a square CSR graph with sorted rows, as a batch CSR (one row per pair), the input
// of NCN's neighbour aggregation (models/link/ncn.h) and of the classic link heuristics. Each pair is
// intersected on its own (oneTBB over pairs through core/parallel.h): a two-pointer merge when the
// two degrees are close, a galloping search of the shorter row in the longer one when they differ
// by more than kGallopRatio; on a dense graph, an AND of the two rows as bitsets (Intersection
// below). Rows may hold repeated columns or self-loops: the result is the set
// intersection (each common neighbour once), so u = i counts when i has a self-loop and j links to
// i. The output is the same on any thread count (two passes: count, then fill at fixed offsets).
#pragma once

#include <vector>

#include "graph/csr.h"
#include "graph/edge_list.h"

namespace moegnn::graph {

// Degree ratio above which the shorter row is galloped through the longer one instead of merged.
inline constexpr Index kGallopRatio = 16;

// How two rows are intersected. Lists: the sorted-row merge / gallop above. Bitsets: every row
// becomes a bitset of num_nodes bits once per call (built in O(num_nodes² / 64 + nnz)), and a pair
// costs one AND over num_nodes / 64 words plus one step per common neighbour: on a dense graph
// (ogbl-ddi: ~500 neighbours of 4,267 nodes, 67 words per row) that is ~15× less work than the
// merge. Auto picks Bitsets when a row's bitset has at most half as many words as the mean row
// has entries, the bitsets fit in kMaxBitsetBytes, and the batch is large enough to repay the
// build; else Lists. Every method gives the same output.
enum class Intersection { Auto, Lists, Bitsets };
inline constexpr Index kMaxBitsetBytes = Index{256} << 20;

struct CommonNeighborOptions {
  // > 0: only the first max_degree entries of each endpoint's row take part (a cost bound for
  // hub nodes, like the reference's --cndeg; deterministic, so biased towards small ids); <= 0: all.
  Index max_degree = 0;
  // Full: check that every row of g is sorted (O(nnz)); Trusted: the caller has checked once.
  Validate validate = Validate::Full;
  // Auto unless a benchmark or test wants one path; Bitsets past kMaxBitsetBytes throws.
  Intersection method = Intersection::Auto;
};

// One row per pair: the common neighbours of pair b are nodes[offsets[b] .. offsets[b + 1]),
// ascending and distinct.
struct PairNeighbors {
  std::vector<EdgeId> offsets;  // num_pairs + 1, from 0
  std::vector<NodeId> nodes;
  Index num_pairs() const { return static_cast<Index>(offsets.size()) - 1; }
  // As a num_pairs × num_nodes Csr (no values), the sparse operand of layers/ops/cn_aggregate.h.
  Csr to_csr(Index num_nodes) const;
};

// The method Auto picks for num_pairs pairs of g (square, CPU): Lists or Bitsets.
Intersection intersection_for(const Csr& g, Index max_degree, Index num_pairs);

// The common neighbours of pairs (src[b], dst[b]) in g (square, CPU). Throws InvalidArgument for a
// non-square graph, a graph on another device, src/dst of different sizes, a pair id outside
// [0, num_nodes) (naming the position), or with Validate::Full an unsorted row.
PairNeighbors common_neighbors(const Csr& g, const EdgeList& pairs,
                               const CommonNeighborOptions& options = {});

// The common neighbours and the two one-sided sets of each pair (NCNC's completion candidates):
// only_src[b] = N(src) \ N(dst), only_dst[b] = N(dst) \ N(src), each ascending and distinct
// (a two-pointer merge per pair). Throws as common_neighbors().
struct NeighborhoodSplit {
  PairNeighbors common;
  PairNeighbors only_src;
  PairNeighbors only_dst;
};
NeighborhoodSplit split_neighborhoods(const Csr& g, const EdgeList& pairs,
                                      const CommonNeighborOptions& options = {});

// Classic neighbourhood scores of each pair (Liben-Nowell & Kleinberg 2007; Zhou et al. 2009):
// CommonNeighbors |N(i) ∩ N(j)|; AdamicAdar Σ_u 1 / ln d(u); ResourceAllocation Σ_u 1 / d(u),
// over u in N(i) ∩ N(j), d(u) = the number of entries of row u. A common neighbour of degree 1
// (possible only through a self-loop pair i == j) adds 0 to AdamicAdar. Sums in double, returned
// as float. Throws as common_neighbors().
enum class LinkHeuristic { CommonNeighbors, AdamicAdar, ResourceAllocation };
std::vector<float> link_heuristic(const Csr& g, const EdgeList& pairs, LinkHeuristic heuristic,
                                  const CommonNeighborOptions& options = {});

}  // namespace moegnn::graph
