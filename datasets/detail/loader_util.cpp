// SPDX-License-Identifier: Apache-2.0
// Loader helpers (see loader_util.h).
#include "datasets/detail/loader_util.h"

#include <algorithm>
#include <limits>

#include "core/error.h"
#include "graph/builder.h"

namespace moegnn::datasets::detail {

graph::Csr build_graph(std::span<const std::int64_t> src, std::span<const std::int64_t> dst,
                       Index num_nodes, EdgeConvention convention, const std::string& source) {
  // An empty file would train as a graph of isolated nodes without a word; no dataset has none.
  MOEGNN_CHECK_AS(IoError, "build_graph", !src.empty() || num_nodes == 0, source, ": 0 edges vs ",
                  "at least one for ", num_nodes,
                  " nodes; the edge file is empty or holds only its header");
  graph::BuildOptions options;
  options.num_nodes = num_nodes;
  options.duplicates = graph::Duplicates::KeepFirst;
  options.symmetric = convention == EdgeConvention::Undirected;
  options.self_loops =
      convention == EdgeConvention::Undirected ? graph::SelfLoops::Remove : graph::SelfLoops::Keep;
  try {
    return graph::from_coo(src, dst, {}, options);
  } catch (const InvalidArgument& e) {
    MOEGNN_FAIL(IoError, "build_graph", source, ": bad edge list: ", e.what());
  }
}

void split_pairs(std::span<const std::int64_t> pairs, std::vector<std::int64_t>& src,
                 std::vector<std::int64_t>& dst) {
  const std::size_t n = pairs.size() / 2;
  src.resize(n);
  dst.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    src[k] = pairs[2 * k];
    dst[k] = pairs[2 * k + 1];
  }
}

IndexArray32 mask_to_ids(const std::vector<bool>& mask) {
  std::vector<std::int32_t> ids;
  for (std::size_t i = 0; i < mask.size(); ++i)
    if (mask[i]) ids.push_back(static_cast<std::int32_t>(i));
  return IndexArray32(ids);
}

std::vector<std::int32_t> argmax_rows(const Tensor& one_hot) {
  const auto m = one_hot.host();
  std::vector<std::int32_t> out(static_cast<std::size_t>(m.rows()), 0);
  for (Index r = 0; r < m.rows(); ++r) {
    Index best = 0;
    for (Index c = 1; c < m.cols(); ++c)
      if (m(r, c) > m(r, best)) best = c;
    out[static_cast<std::size_t>(r)] = static_cast<std::int32_t>(best);
  }
  return out;
}

Index count_classes(std::span<const std::int32_t> labels, const std::string& source) {
  Index classes = 0;
  const auto n = static_cast<std::int64_t>(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    MOEGNN_CHECK_AS(IoError, "count_classes", labels[i] >= 0 && labels[i] < n, source,
                    ": label of node ", i, " is ", labels[i], " vs [0, ", n,
                    ") (class ids are bounded by the node count); the file is corrupt");
    classes = std::max<Index>(classes, Index{labels[i]} + 1);
  }
  return classes;
}

std::int32_t to_int32(std::int64_t value, const std::string& source, const char* what) {
  MOEGNN_CHECK_AS(IoError, "to_int32",
                  value >= 0 && value <= std::numeric_limits<std::int32_t>::max(), source, ": ",
                  what, " ", value, " out of range vs [0, 2^31)");
  return static_cast<std::int32_t>(value);
}

}  // namespace moegnn::datasets::detail
