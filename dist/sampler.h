// SPDX-License-Identifier: Apache-2.0
// Distributed neighbour sampling (issue 22): each rank draws mini-batches of its own training
// nodes; a frontier node's neighbours are sampled by the rank that owns its row, which receives the
// request (one exchange per hop, all requests of a hop batched) and answers with the sampled
// neighbours' global ids, owners and edge values. The owner draws with an Rng keyed by (seed,
// epoch, step, hop, node), so a node's sample does not depend on which rank asked or on P. The
// input features of the batch's nodes come from their owners in one batched exchange per step.
// Blocks have NeighborSampler's layout (graph/block.h): destinations first among the sources,
// then new sources in order of first appearance; rows sorted by local source id.
#pragma once

#include <cstdint>
#include <vector>

#include "dist/comm.h"
#include "dist/part.h"
#include "graph/block.h"

namespace moegnn::dist {

struct SampledBatch {
  std::vector<graph::Block> blocks;  // input layer first; blocks.back()'s destinations = seeds
  Tensor features;                   // rows of blocks.front().src_nodes
};

class DistSampler {
 public:
  // prepared: this part's rows of the model's prepared graph (prepare_local_graph), sampled from;
  // fanouts as graph::NeighborSampler (input layer first, -1 = all). Throws InvalidArgument for no
  // fanouts, a fanout below -1 or a graph that does not match the part.
  DistSampler(const Part& part, Communicator& comm, graph::Csr prepared, std::vector<int> fanouts);

  // Collective: every rank calls it once per step (with its own seeds, possibly none). seeds:
  // local ids of owned nodes; key: the step's key (the same on every rank). IoError from MPI.
  SampledBatch sample(const std::vector<std::int32_t>& seeds, std::uint64_t key);

 private:
  struct Node {
    std::int32_t global;
    std::int32_t owner;
  };
  graph::Block sample_hop(std::vector<Node>& frontier, int fanout, std::uint64_t key);
  Tensor fetch_features(const std::vector<Node>& nodes);
  Index owned_row(std::int32_t global) const;  // local row of an owned node; throws if not owned

  const Part& part_;
  Communicator& comm_;
  graph::Csr prepared_;
  std::vector<int> fanouts_;
  std::vector<std::int32_t> local_global_;  // global id of each local node
  std::vector<std::int32_t> local_owner_;   // owner of each local node
};

}  // namespace moegnn::dist
