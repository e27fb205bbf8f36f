// SPDX-License-Identifier: Apache-2.0
// NodeBatchSource: how a node model meets its inputs during training and evaluation. The full
// graph is one batch whose logits cover every node; neighbour-sampled training (GraphSAGE / DGL's
// recipe) is one batch per group of training seeds, each a stack of sampled blocks whose input
// rows come from a FeatureStore. A task (models/training/node_task.h) turns the logits into a loss
// and scores, so the same source serves any node-level task.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/rng.h"
#include "core/tape.h"
#include "graph/csr.h"
#include "graph/sampler.h"
#include "graph/seed_batches.h"
#include "layers/module.h"
#include "models/training/feature_store.h"
#include "models/training/options.h"

namespace moegnn::training {

// Training-mode logits of one batch and the node of each row.
struct BatchLogits {
  Var logits;
  IndexArray32 nodes;  // row i is node nodes[i]; empty: row v is node v (the whole graph)
};

class NodeBatchSource {
 public:
  virtual ~NodeBatchSource() = default;
  // Training batches of epoch `epoch` (1-based; fixes the epoch's batch order).
  virtual Index num_batches(Index epoch) = 0;
  // Logits of training batch b of the current epoch, recorded on `tape`; `rng` draws the samples
  // and dropout masks. Throws InvalidArgument when the forward returns the wrong number of rows.
  virtual BatchLogits forward_batch(Tape& tape, Index batch, Rng& rng) = 0;
  // Evaluation-mode logits of each node set (rows in the set's order), in that order; leaves the
  // model in training mode.
  virtual std::vector<Tensor> predict(const std::vector<IndexArray32>& sets, Rng& rng) = 0;
  // Nodes of the graph the source reads, or -1 when it does not know (a forward callback).
  virtual Index num_nodes() const { return -1; }
};

// The whole graph at once: `forward` returns logits for every node and closes over the graph and
// features.
std::unique_ptr<NodeBatchSource> full_graph_source(layers::Module& model, ForwardFn forward);

// Neighbour-sampled blocks over `graph` (square, in-neighbour rows) for the training nodes `train`,
// input rows from `features`. Evaluation runs on the whole graph (one block per layer that is the
// whole graph: exact, no sampling noise) or on sampled blocks, as `sampling` says. `seed` orders
// the batches. Throws InvalidArgument for bad sampling options or when the features' rows differ
// from the graph's nodes.
std::unique_ptr<NodeBatchSource> sampled_block_source(layers::Module& model, BlockForwardFn forward,
                                                      graph::Csr graph,
                                                      std::shared_ptr<const FeatureStore> features,
                                                      const IndexArray32& train,
                                                      const SamplingOptions& sampling,
                                                      std::uint64_t seed);

}  // namespace moegnn::training
