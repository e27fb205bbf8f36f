// SPDX-License-Identifier: Apache-2.0
// NodeDataset invariants.
#include "datasets/node_dataset.h"

#include <vector>

#include "core/error.h"

namespace moegnn::datasets {
namespace {
// Marks the ids of one split in `owner` (0 = none yet), rejecting out-of-range and shared ids.
void mark_split(const IndexArray32& ids, const char* split, std::int8_t tag, Index num_nodes,
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
}

}  // namespace moegnn::datasets
