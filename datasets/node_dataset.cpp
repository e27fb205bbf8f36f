// SPDX-License-Identifier: Apache-2.0
// NodeDataset invariants.
#include "datasets/node_dataset.h"

#include <algorithm>
#include <string>
#include <vector>

#include "core/error.h"

namespace moegnn::datasets {
namespace {
// Marks the ids of one split in `owner` (0 = none yet), rejecting out-of-range and shared ids.
void mark_split(const IndexArray32& ids, const std::string& split, std::int8_t tag, Index num_nodes,
                std::vector<std::int8_t>& owner) {
  for (const std::int32_t id : ids.host()) {
    MOEGNN_CHECK_AS(InvalidArgument, "datasets::check", id >= 0 && id < num_nodes, split,
                    " id ", id, " out of range vs [0, ", num_nodes, ")");
    std::int8_t& slot = owner[static_cast<std::size_t>(id)];
    MOEGNN_CHECK_AS(InvalidArgument, "datasets::check", slot == 0, split, " id ", id,
                    " is already in another split (or repeated) vs disjoint splits");
    slot = tag;
  }
}
}  // namespace

void check(const NodeDataset& dataset) {
  const Index n = dataset.num_nodes();
  MOEGNN_CHECK(dataset.graph.is_square(), "graph is ", dataset.graph.num_rows(), " × ",
               dataset.graph.num_cols(), " vs square");
  MOEGNN_CHECK(dataset.features.rows() == n, "features have ", dataset.features.rows(),
               " rows vs ", n, " nodes");
  MOEGNN_CHECK(dataset.labels.size() == n, "labels have ", dataset.labels.size(), " entries vs ",
               n, " nodes");
  MOEGNN_CHECK(dataset.num_classes > 0, "num_classes is ", dataset.num_classes, " vs > 0");
  for (const std::int32_t label : dataset.labels.host()) {
    MOEGNN_CHECK(label >= 0 && label < dataset.num_classes, "label ", label,
                 " out of range vs [0, ", dataset.num_classes, ")");
  }
  std::vector<std::int8_t> owner(static_cast<std::size_t>(n), 0);
  mark_split(dataset.train, "train", 1, n, owner);
  mark_split(dataset.val, "val", 2, n, owner);
  mark_split(dataset.test, "test", 3, n, owner);
  for (std::size_t i = 0; i < dataset.splits.size(); ++i) {
    const std::string prefix = "splits[" + std::to_string(i) + "].";
    std::fill(owner.begin(), owner.end(), std::int8_t{0});
    mark_split(dataset.splits[i].train, prefix + "train", 1, n, owner);
    mark_split(dataset.splits[i].val, prefix + "val", 2, n, owner);
    mark_split(dataset.splits[i].test, prefix + "test", 3, n, owner);
  }
}

void use_split(NodeDataset& dataset, std::size_t index) {
  MOEGNN_CHECK(index < dataset.splits.size(), "split index ", index, " out of range vs [0, ",
               dataset.splits.size(), ")", dataset.splits.empty() ? "; the dataset has no splits" : "");
  const NodeSplit& split = dataset.splits[index];
  dataset.train = split.train;
  dataset.val = split.val;
  dataset.test = split.test;
}

}  // namespace moegnn::datasets
