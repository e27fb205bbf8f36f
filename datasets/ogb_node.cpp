// SPDX-License-Identifier: Apache-2.0
// ogbn-* raw layout -> NodeDataset.
#include <algorithm>
#include <vector>

#include "core/error.h"
#include "datasets/data_dir.h"
#include "datasets/detail/loader_util.h"
#include "datasets/detail/ogb_common.h"
#include "datasets/io/csv.h"
#include "datasets/ogb.h"

namespace moegnn::datasets {
namespace {

// One id list of split/<type>/<part>.csv.gz, sorted, each id in [0, n).
IndexArray32 read_ids(const std::filesystem::path& path, Index n) {
  require_file(path, "load_ogb_node", "OGB split file");
  const io::Int64Table t = io::read_csv_int64(path, {.num_cols = 1});
  std::vector<std::int32_t> ids(t.values.size());
  for (std::size_t k = 0; k < ids.size(); ++k) {
    MOEGNN_CHECK_AS(IoError, "load_ogb_node", t.values[k] >= 0 && t.values[k] < n, path.string(),
                    ": line ", k + 1, ": node id ", t.values[k], " out of range vs [0, ", n, ")");
    ids[k] = static_cast<std::int32_t>(t.values[k]);
  }
  std::sort(ids.begin(), ids.end());
  return IndexArray32(ids);
}

std::vector<std::int32_t> read_labels(const std::filesystem::path& path, Index n) {
  require_file(path, "load_ogb_node", "OGB file");
  const io::Int64Table t = io::read_csv_int64(path);
  MOEGNN_CHECK_AS(Unsupported, "load_ogb_node", t.cols == 1, path.string(), ": ", t.cols,
                  " label columns vs 1 (multi-label tasks are not supported)");
  MOEGNN_CHECK_AS(IoError, "load_ogb_node", t.rows == n, path.string(), ": ", t.rows, " labels vs ",
                  n, " nodes in raw/num-node-list.csv.gz");
  std::vector<std::int32_t> labels(t.values.size());
  for (std::size_t k = 0; k < labels.size(); ++k)
    labels[k] = detail::to_int32(t.values[k], path.string(), "label");
  return labels;
}

}  // namespace

NodeDataset load_ogb_node(const std::filesystem::path& dir, const OgbOptions& options) {
  const Index n = detail::ogb_num_nodes(dir);
  const std::filesystem::path edge_path = dir / "raw" / "edge.csv.gz";
  require_file(edge_path, "load_ogb_node", "OGB file");
  const io::Int64Table edges = io::read_csv_int64(edge_path, {.num_cols = 2});
  std::vector<std::int64_t> src;
  std::vector<std::int64_t> dst;
  detail::split_pairs(edges.values, src, dst);
  NodeDataset d;
  d.name = dir.filename().string();
  d.graph =
      detail::build_graph(src, dst, n, detail::EdgeConvention::Undirected, edge_path.string());
  d.features = detail::ogb_features(dir, n);
  const std::filesystem::path label_path = dir / "raw" / "node-label.csv.gz";
  const std::vector<std::int32_t> labels = read_labels(label_path, n);
  d.num_classes = detail::count_classes(labels, label_path.string());
  d.labels = IndexArray32(labels);
  const std::filesystem::path split = detail::ogb_split_dir(dir, options.split_type);
  d.train = read_ids(split / "train.csv.gz", n);
  d.val = read_ids(split / "valid.csv.gz", n);
  d.test = read_ids(split / "test.csv.gz", n);
  try {
    check(d);
  } catch (const InvalidArgument& e) {
    MOEGNN_FAIL(IoError, "load_ogb_node", split.string(), ": inconsistent split: ", e.what());
  }
  return d;
}

}  // namespace moegnn::datasets
