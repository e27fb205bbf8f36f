// SPDX-License-Identifier: Apache-2.0
// NodeDataset: what a node-classification loader or generator hands to training code: one graph,
// one feature row and one label per node, and a train/validation/test split of the node ids.
// Generated graphs (datasets/csbm.h) and real loaders (OGB, Planetoid) return the same type.
#pragma once

#include <string>

#include "core/index_array.h"
#include "core/tensor.h"
#include "graph/csr.h"

namespace moegnn::datasets {

struct NodeDataset {
  graph::Csr graph{};     // num_nodes × num_nodes; symmetric, no self-loops unless a loader says so
  Tensor features{};      // num_nodes × num_features
  IndexArray32 labels{};  // num_nodes entries in [0, num_classes)
  IndexArray32 train{};   // disjoint node-id sets, each sorted
  IndexArray32 val{};
  IndexArray32 test{};
  Index num_classes = 0;
  std::string name{};

  Index num_nodes() const { return graph.num_nodes(); }
  Index num_features() const { return features.cols(); }
};

// Checks the invariants above (sizes agree, labels and split ids in range, splits disjoint).
// Throws InvalidArgument naming the first violation. O(num_nodes + split sizes).
void check(const NodeDataset& dataset);

}  // namespace moegnn::datasets
