// SPDX-License-Identifier: Apache-2.0
// GraphBatch: many small graphs as one block-diagonal graph, the unit of graph-level learning
// (PyG's Batch). Graph g owns the contiguous node range [ptr[g], ptr[g+1]) and only edges inside
// it, so one message-passing pass over the batch equals a pass over each graph on its own, and a
// segment reduction over `ptr` pools each graph's nodes (layers/pooling.h). A whole dataset is
// kept as one GraphBatch too; select_graphs() cuts mini-batches out of it without rebuilding the
// graphs, and graph_batch_order() gives the (optionally shuffled) batches of an epoch.
#pragma once

#include <span>
#include <vector>

#include "core/index_array.h"
#include "core/rng.h"
#include "core/tensor.h"
#include "graph/csr.h"

namespace moegnn::graph {

struct GraphBatch {
  Csr graph;           // num_nodes × num_nodes, block diagonal
  Tensor x;            // num_nodes × num_features node features (num_features may be 0)
  EdgeIds ptr{0};      // num_graphs + 1 node offsets, ptr[0] = 0, ptr.back() = num_nodes
  IndexArray32 batch;  // num_nodes entries: the graph of each node (PyG's `batch` vector)

  Index num_graphs() const { return ptr.size() - 1; }
  Index num_nodes() const { return graph.num_nodes(); }
};

// Concatenates graphs[i] (square) with node features features[i] (graphs[i].num_nodes() rows,
// equal column counts) into one block-diagonal batch, graph i first-to-last. Edge values are kept
// when every graph has them and dropped when none has. Throws InvalidArgument for a non-square
// graph, a row-count or column-count mismatch, mixed edge values, or a non-CPU input.
GraphBatch batch_graphs(std::span<const Csr> graphs, std::span<const Tensor> features);

// The graphs `ids` of `all` (in the order given; repeats allowed) as a new batch. Throws
// InvalidArgument for an id outside [0, all.num_graphs()) or a batch whose parts disagree in size.
GraphBatch select_graphs(const GraphBatch& all, std::span<const NodeId> ids);

// Checks that the parts of `batch` agree: ptr non-decreasing from 0 to num_nodes, batch[] matching
// ptr, x with num_nodes rows, no edge leaving its graph. Throws InvalidArgument naming the first
// disagreement (`who` prefixes the message).
void check_graph_batch(const GraphBatch& batch, const char* who);

// `ids` cut into batches of batch_size (the last may be smaller), in an order shuffled by `rng`
// when shuffle is set (Fisher–Yates; one draw per id), else as given. Throws InvalidArgument for
// batch_size < 1.
std::vector<std::vector<NodeId>> graph_batch_order(std::span<const NodeId> ids, Index batch_size,
                                                   bool shuffle, Rng& rng);

}  // namespace moegnn::graph
