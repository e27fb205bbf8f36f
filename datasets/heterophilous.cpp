// SPDX-License-Identifier: Apache-2.0
// Platonov et al.'s .npz layout -> NodeDataset: members checked for shape and type, the edge list
// through the shared builder, the 10 mask rows into published splits.
#include "datasets/heterophilous.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "datasets/data_dir.h"
#include "datasets/detail/loader_util.h"
#include "datasets/io/npz.h"

namespace moegnn::datasets {
namespace {

constexpr const char* kFn = "load_heterophilous_npz";
using Arrays = std::map<std::string, io::NpyArray>;

const io::NpyArray& member(const Arrays& arrays, const std::string& key,
                           const std::string& source) {
  const auto it = arrays.find(key);
  MOEGNN_CHECK_AS(IoError, kFn, it != arrays.end(), source, ": no member '", key,
                  "' vs the keys node_features, node_labels, edges, train_masks, val_masks, "
                  "test_masks");
  return it->second;
}

// The masks of one kind: rows × N booleans (a single split may be stored 1-D).
std::vector<std::vector<bool>> read_masks(const Arrays& arrays, const std::string& key,
                                          Index num_nodes, const std::string& source) {
  const io::NpyArray& a = member(arrays, key, source);
  const bool one = a.ndim() == 1;
  MOEGNN_CHECK_AS(IoError, kFn, (one || a.ndim() == 2) && a.shape().back() == num_nodes, source,
                  ": ", key, " is ", a.shape_string(), " vs (splits, ", num_nodes, ")");
  const std::vector<bool> flat = a.to_bool();
  const Index rows = one ? 1 : a.shape()[0];
  std::vector<std::vector<bool>> out(static_cast<std::size_t>(rows));
  for (Index r = 0; r < rows; ++r)
    out[static_cast<std::size_t>(r)].assign(flat.begin() + r * num_nodes,
                                            flat.begin() + (r + 1) * num_nodes);
  return out;
}

}  // namespace

NodeDataset load_heterophilous_npz(const std::filesystem::path& path) {
  require_file(path, kFn, "heterophilous-graph file");
  const std::string source = path.string();
  const Arrays arrays = io::read_npz(path);

  NodeDataset d;
  d.name = path.stem().string();
  std::replace(d.name.begin(), d.name.end(), '_', '-');
  const io::NpyArray& features = member(arrays, "node_features", source);
  MOEGNN_CHECK_AS(IoError, kFn, features.ndim() == 2, source, ": node_features is ",
                  features.shape_string(), " vs 2-D (nodes, features)");
  d.features = features.to_tensor();
  const Index n = d.features.rows();

  const io::NpyArray& label_array = member(arrays, "node_labels", source);
  MOEGNN_CHECK_AS(IoError, kFn, label_array.ndim() == 1 && label_array.size() == n, source,
                  ": node_labels is ", label_array.shape_string(), " vs (", n, ",)");
  const std::vector<std::int32_t> labels = label_array.to_int32();
  d.num_classes = detail::count_classes(labels, source);
  d.labels = IndexArray32(labels);

  const io::NpyArray& edges = member(arrays, "edges", source);
  MOEGNN_CHECK_AS(IoError, kFn, edges.ndim() == 2 && edges.shape()[1] == 2, source, ": edges is ",
                  edges.shape_string(), " vs (edges, 2)");
  std::vector<std::int64_t> src, dst;
  detail::split_pairs(edges.to_int64(), src, dst);
  d.graph = detail::build_graph(src, dst, n, detail::EdgeConvention::Undirected, source);

  const auto train = read_masks(arrays, "train_masks", n, source);
  const auto val = read_masks(arrays, "val_masks", n, source);
  const auto test = read_masks(arrays, "test_masks", n, source);
  MOEGNN_CHECK_AS(IoError, kFn, train.size() == val.size() && val.size() == test.size(), source,
                  ": ", train.size(), " train, ", val.size(), " val and ", test.size(),
                  " test masks vs the same number of each");
  for (std::size_t s = 0; s < train.size(); ++s) {
    for (Index v = 0; v < n; ++v) {
      const auto i = static_cast<std::size_t>(v);
      const int sets = int{train[s][i]} + int{val[s][i]} + int{test[s][i]};
      MOEGNN_CHECK_AS(IoError, kFn, sets <= 1, source, ": split ", s, ": node ", v, " is in ",
                      sets, " of train/val/test vs at most one");
    }
    d.splits.push_back({detail::mask_to_ids(train[s]), detail::mask_to_ids(val[s]),
                        detail::mask_to_ids(test[s])});
  }
  MOEGNN_CHECK_AS(IoError, kFn, !d.splits.empty(), source, ": 0 splits vs at least one");
  d.train = d.splits.front().train;
  d.val = d.splits.front().val;
  d.test = d.splits.front().test;
  if (d.num_classes == 2) d.metric = "roc_auc";  // as Platonov et al. report the binary sets
  check(d);
  return d;
}

}  // namespace moegnn::datasets
