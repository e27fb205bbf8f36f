// SPDX-License-Identifier: Apache-2.0
// GraphDataset: a graph-level dataset (TU collection, OGB graph property prediction, generated),
// every graph kept in one block-diagonal graph::GraphBatch so that mini-batches are cut out of it
// (graph::select_graphs) without rebuilding graphs. Also the usual stratified k-fold splits of the
// TU benchmarks and a small generator of labelled random graphs (the apps' default data).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/index_array.h"
#include "core/tensor.h"
#include "graph/graph_batch.h"

namespace moegnn::datasets {

struct GraphDataset {
  std::string name;
  graph::GraphBatch graphs;  // x: num_nodes × num_features
  // Classification: one class per graph in [0, num_classes); empty when the targets are real
  // valued or multi-task (OGB molecular sets), which `targets` then hold.
  IndexArray32 labels;
  Index num_classes = 0;
  Tensor targets;    // num_graphs × num_tasks (NaN: unlabelled), or empty
  Tensor edge_attr;  // num_edges × F in the order of graphs.graph's edges, or empty
  // A split shipped with the data (OGB's scaffold split); empty for TU sets (use k-fold).
  std::vector<graph::NodeId> train, val, test;

  Index num_graphs() const { return graphs.num_graphs(); }
  Index num_features() const { return graphs.x.cols(); }
};

struct GraphFold {
  std::vector<graph::NodeId> train, val, test;
};

// k stratified folds of the graphs by label (sklearn's StratifiedKFold with shuffling, as the GIN
// paper's and Errica et al.'s protocol): graphs of each class are shuffled with `seed` and dealt
// round-robin to folds, so every fold holds each class in proportion. Fold i tests on part i,
// validates on part (i + 1) mod k and trains on the rest. Deterministic for a seed. Throws
// InvalidArgument for k < 3, more folds than graphs, or a negative label.
std::vector<GraphFold> stratified_k_fold(const IndexArray32& labels, Index k, std::uint64_t seed);

struct RandomGraphOptions {
  Index num_graphs = 300;
  Index num_classes = 3;
  Index min_nodes = 8;
  Index max_nodes = 24;
  std::uint64_t seed = 1;
};

// Labelled random graphs: class c is an Erdős–Rényi graph with mean degree 1.5 + 1.25·c, plus
// c + 1 extra triangles, on a node count drawn uniformly from [min_nodes, max_nodes]; node features
// are a constant 1 and the degree one-hot (degrees >= 7 share the last column), 9 columns.
// Classes are balanced (graph g has class g mod C, then the order is shuffled). Throws
// InvalidArgument for fewer than 2 classes or graphs, or min_nodes < 3 or > max_nodes.
GraphDataset random_graph_dataset(const RandomGraphOptions& options = {});

}  // namespace moegnn::datasets
