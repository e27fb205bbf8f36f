// SPDX-License-Identifier: Apache-2.0
// NodeDataset: what a node-classification loader or generator hands to training code: one graph,
// one feature row and one label per node, and a train/validation/test split of the node ids.
// Generated graphs (datasets/csbm.h) and real loaders (OGB, Planetoid) return the same type.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/index_array.h"
#include "core/tensor.h"
#include "graph/csr.h"
#include "graph/node_split.h"

namespace moegnn::datasets {

// One train/validation/test split of the node ids: the library's one split type.
using graph::NodeSplit;

struct NodeDataset {
  graph::Csr graph{};     // num_nodes × num_nodes; symmetric, no self-loops unless a loader says so
  Tensor features{};      // num_nodes × num_features
  IndexArray32 labels{};  // num_nodes entries in [0, num_classes)
  IndexArray32 train{};   // disjoint node-id sets, each sorted
  IndexArray32 val{};
  IndexArray32 test{};
  Index num_classes = 0;
  std::string name{};
  // Every published split (e.g. the 10 Geom-GCN splits); empty when the dataset ships one split
  // or none. train/val/test above hold the default split; use_split() copies one of these there.
  std::vector<NodeSplit> splits{};
  // The metric the dataset's paper reports: empty for accuracy, "roc_auc" for the binary sets
  // that are scored by ROC-AUC (Platonov et al.'s minesweeper, tolokers, questions).
  std::string metric{};

  Index num_nodes() const { return graph.num_nodes(); }
  Index num_features() const { return features.cols(); }
};

// Checks the invariants above (sizes agree, labels and split ids in range, splits disjoint).
// Throws InvalidArgument naming the first violation. O(num_nodes + split sizes).
// Every entry of `splits` is checked the same way.
void check(const NodeDataset& dataset);

// Makes splits[index] the current split (copies its arrays into train/val/test; the arrays are
// shared, not cloned). Throws InvalidArgument when index >= splits.size().
void use_split(NodeDataset& dataset, std::size_t index);

}  // namespace moegnn::datasets
