// SPDX-License-Identifier: Apache-2.0
// NodeSplit: the train/validation/test node-id sets of one split, the one split type that dataset
// readers return (published Geom-GCN/LINKX splits, per-class and random splits) and the trainer
// reads (training::LabeledSplit adds the labels). It lives in graph/ because both datasets/ and
// models/ see graph/, and a split is a partition of a graph's nodes.
#pragma once

#include "core/index_array.h"

namespace moegnn::graph {

// Node ids of each set. Readers return each set sorted ascending and the three pairwise disjoint;
// consumers that need it check it (the trainer checks ids against the graph's nodes).
struct NodeSplit {
  IndexArray32 train{};
  IndexArray32 val{};
  IndexArray32 test{};
};

}  // namespace moegnn::graph
