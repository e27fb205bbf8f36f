// SPDX-License-Identifier: Apache-2.0
// LinkDataset: what a link-prediction loader hands to training code: the graph of the training
// edges, optional node features, and the positive and negative node pairs of the train,
// validation and test splits (int32 ids). OGB's link sets (ogbl-*) load into it.
#pragma once

#include <string>

#include "core/index_array.h"
#include "core/tensor.h"
#include "graph/csr.h"
#include "graph/edge_list.h"

namespace moegnn::datasets {

// The pairs of one split. `neg` either is a shared pool of negatives
// (negatives_per_positive == 0; ogbl-ddi/collab/ppa) or holds negatives_per_positive pairs per
// positive, positive k's at [k·K, (k+1)·K) with pos.src[k] as their source (ogbl-citation2).
struct LinkSplit {
  graph::EdgeList pos{};
  graph::EdgeList neg{};
  Index negatives_per_positive = 0;
  Tensor edge_weight{};  // pos.size() × 1, or empty (ogbl-collab ships weights)
  IndexArray32 year{};   // pos.size() entries, or empty (ogbl-collab ships years)
};

struct LinkDataset {
  graph::Csr graph{};  // num_nodes × num_nodes: the training positives, symmetric, no self-loops
  Tensor features{};   // num_nodes × num_features, or 0 × 0 when the dataset has none
  LinkSplit train{};
  LinkSplit val{};
  LinkSplit test{};
  std::string name{};

  Index num_nodes() const { return graph.num_nodes(); }
  Index num_features() const { return features.cols(); }
};

// Checks the invariants above: square graph, feature rows, every id in [0, num_nodes), src/dst
// sizes equal, weight/year sizes, and negatives_per_positive consistent with the pair counts.
// Throws InvalidArgument naming the first violation.
void check(const LinkDataset& dataset);

}  // namespace moegnn::datasets
