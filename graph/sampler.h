// SPDX-License-Identifier: Apache-2.0
// Uniform neighbour sampling without replacement into message-flow blocks (GraphSAGE's sampler,
// Hamilton et al., 2017; DGL's MultiLayerNeighborSampler layout). Destination node i of a layer draws
// its neighbours from Rng::bits(layer key, i) alone, so a seed gives the same blocks on any thread
// count. "Neighbours" are in-neighbours (the row), the nodes whose messages reach the destination.
#pragma once

#include <span>
#include <vector>

#include "core/rng.h"
#include "graph/block.h"
#include "graph/csr.h"

namespace moegnn::graph {

// Holds a graph, the fanouts and scratch memory reused across batches (a num_nodes id map), so
// sampling one batch allocates only its blocks. Not safe for concurrent sample() calls on one
// object; use one sampler per thread.
class NeighborSampler {
 public:
  // fanouts[l]: neighbours per destination for block l, input layer first (DGL's order); -1 takes
  // every neighbour. Throws InvalidArgument for no fanouts, a fanout below -1, a non-square graph or
  // one on another device.
  NeighborSampler(Csr graph, std::vector<int> fanouts);

  // Blocks from the input layer to the output layer; blocks.back().num_dst == seeds.size() and its
  // destinations are the seeds in the given order. Draws one key from `rng` per layer, output layer
  // first. Throws InvalidArgument for a seed out of range or repeated (naming the position).
  std::vector<Block> sample(const NodeIds& seeds, Rng& rng);

  const Csr& graph() const { return graph_; }
  const std::vector<int>& fanouts() const { return fanouts_; }

 private:
  Block sample_layer(const std::vector<NodeId>& dst, int fanout, std::uint64_t key);

  Csr graph_;
  std::vector<int> fanouts_;
  std::vector<NodeId> local_;  // global -> local id of the layer being built; -1 elsewhere
};

// Every in-neighbour on every layer (DGL's MultiLayerFullNeighborSampler): the blocks through which
// a `num_layers`-layer model computes exactly the rows the seeds need, for layer-wise pruned
// inference. Layout as NeighborSampler's, with two differences: a block's new sources (after its
// destinations) follow ascending global id, and each row keeps the parent row's edge order (so
// it is not sorted by local id), which makes every per-row reduction run in the same order as on
// the whole graph: results equal the full-graph ones bit for bit. Built without drawing, hashing
// or sorting: per layer one pass over a num_nodes mark array and one over the block's edges, both
// parallel, so the result does not depend on the thread count. Edge values and ids are the graph's.
// Throws InvalidArgument for num_layers < 1, a non-square graph or one on another device, a seed
// out of range or repeated.
std::vector<Block> full_neighbor_blocks(const Csr& g, const NodeIds& seeds, int num_layers);

// One-shot form of NeighborSampler(g, fanouts).sample(seeds, rng); throws as both.
std::vector<Block> sample_blocks(const Csr& g, const NodeIds& seeds, std::span<const int> fanouts,
                                 Rng& rng);

}  // namespace moegnn::graph
