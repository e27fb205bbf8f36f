// SPDX-License-Identifier: Apache-2.0
// NodeModel: the interface every node-classification model offers the trainer and the apps, so
// they can treat MLP, GCN, GraphSAGE, GAT, GIN (and later MoE models) uniformly. A model states
// the graph it wants with prepare() (GCN: Â with self-loops; GAT: self-loops; others the raw
// structure), which the caller runs once per graph and passes to every forward; models keep no
// per-graph state, so one model can run on several graphs. Parameters, buffers, train() and to()
// come from the registered children (layers/module.h).
#pragma once

#include <vector>

#include "core/rng.h"
#include "core/tape.h"
#include "graph/block.h"
#include "graph/csr.h"
#include "layers/module.h"

namespace moegnn::models {

class NodeModel : public layers::Module {
 public:
  // The graph forward() expects, built from `raw` (square, rows = in-neighbours, with or without
  // edge values and self-loops, e.g. a NodeDataset's graph). Cost: O(nnz) at most; call it once per
  // graph. Throws InvalidArgument as the graph transforms it uses (e.g. a non-square graph).
  virtual graph::Csr prepare(const graph::Csr& raw) const = 0;

  // graph: prepare()'s result; x: num_nodes × in_channels -> logits num_nodes × out_channels (no
  // softmax: ops::cross_entropy fuses it). `rng` draws dropout masks in training mode. Throws
  // InvalidArgument on a shape mismatch.
  virtual Var forward(Tape& tape, const graph::Csr& graph, Var x, Rng& rng) = 0;

  // Neighbour-sampled form (training::BlockForwardFn): blocks run input layer first, x holds the
  // features of blocks.front().src_nodes -> logits of blocks.back()'s destinations. Models whose
  // layers cannot run on sampled blocks keep this default, which throws Unsupported.
  virtual Var forward_blocks(Tape& tape, const std::vector<graph::Block>& blocks, Var x, Rng& rng);

  // Message-passing rounds: a node's logits depend on its num_hops()-hop neighbourhood (0 for a
  // model that ignores the graph). Samplers, routed inference and halo exchange size themselves
  // from it.
  virtual Index num_hops() const = 0;
};

}  // namespace moegnn::models
