// SPDX-License-Identifier: Apache-2.0
// LinkDataset invariants.
#include "datasets/link_dataset.h"

#include <string>

#include "core/error.h"

namespace moegnn::datasets {
namespace {

void check_pairs(const graph::EdgeList& pairs, const std::string& what, Index n) {
  MOEGNN_CHECK_AS(InvalidArgument, "datasets::check", pairs.src.size() == pairs.dst.size(), what,
                  " has ", pairs.src.size(), " sources vs ", pairs.dst.size(), " targets");
  for (const graph::NodeIds* ids : {&pairs.src, &pairs.dst}) {
    for (const std::int32_t id : ids->host())
      MOEGNN_CHECK_AS(InvalidArgument, "datasets::check", id >= 0 && id < n, what, " id ", id,
                      " out of range vs [0, ", n, ")");
  }
}

void check_split(const LinkSplit& s, const std::string& name, Index n) {
  check_pairs(s.pos, name + ".pos", n);
  check_pairs(s.neg, name + ".neg", n);
  const Index k = s.negatives_per_positive;
  MOEGNN_CHECK_AS(InvalidArgument, "datasets::check",
                  k >= 0 && (k == 0 || s.neg.size() == k * s.pos.size()), name, ".neg has ",
                  s.neg.size(), " pairs vs ", k, " per positive × ", s.pos.size(), " positives");
  MOEGNN_CHECK_AS(InvalidArgument, "datasets::check",
                  s.edge_weight.empty() ||
                      (s.edge_weight.rows() == s.pos.size() && s.edge_weight.cols() == 1),
                  name, ".edge_weight is ", s.edge_weight.shape_string(), " vs ", s.pos.size(),
                  " × 1 or empty");
  MOEGNN_CHECK_AS(InvalidArgument, "datasets::check",
                  s.year.empty() || s.year.size() == s.pos.size(), name, ".year has ",
                  s.year.size(), " entries vs ", s.pos.size(), " or none");
}

}  // namespace

void check(const LinkDataset& dataset) {
  const Index n = dataset.num_nodes();
  MOEGNN_CHECK_AS(InvalidArgument, "datasets::check", dataset.graph.is_square(), "graph is ",
                  dataset.graph.num_rows(), " × ", dataset.graph.num_cols(), " vs square");
  MOEGNN_CHECK_AS(InvalidArgument, "datasets::check",
                  dataset.features.empty() || dataset.features.rows() == n, "features have ",
                  dataset.features.rows(), " rows vs ", n, " nodes");
  check_split(dataset.train, "train", n);
  check_split(dataset.val, "val", n);
  check_split(dataset.test, "test", n);
}

}  // namespace moegnn::datasets
