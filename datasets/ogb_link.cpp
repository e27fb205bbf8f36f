// SPDX-License-Identifier: Apache-2.0
// ogbl-* raw layout -> LinkDataset. Split files are PyTorch legacy pickles read by
// io::read_torch_legacy; every id is range-checked before it becomes an int32.
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "datasets/data_dir.h"
#include "datasets/detail/loader_util.h"
#include "datasets/detail/ogb_common.h"
#include "datasets/io/csv.h"
#include "datasets/io/torch_legacy.h"
#include "datasets/ogb.h"

namespace moegnn::datasets {
namespace {

using Arrays = std::map<std::string, io::NpyArray>;

// Ids checked against [0, n) and narrowed.
graph::NodeIds checked_ids(const std::vector<std::int64_t>& ids, Index n, const std::string& what) {
  std::vector<std::int32_t> out(ids.size());
  for (std::size_t k = 0; k < ids.size(); ++k) {
    MOEGNN_CHECK_AS(IoError, "load_ogb_link", ids[k] >= 0 && ids[k] < n, what, "[", k,
                    "] = ", ids[k], " out of range vs [0, ", n, ")");
    out[k] = static_cast<std::int32_t>(ids[k]);
  }
  return graph::NodeIds(out);
}

// An (M, 2) pair array as an EdgeList.
graph::EdgeList pairs_of(const io::NpyArray& a, Index n, const std::string& what) {
  MOEGNN_CHECK_AS(IoError, "load_ogb_link", a.ndim() == 2 && a.shape()[1] == 2, what, " is ",
                  a.shape_string(), " vs (M, 2)");
  std::vector<std::int64_t> src;
  std::vector<std::int64_t> dst;
  detail::split_pairs(a.to_int64(), src, dst);
  return {checked_ids(src, n, what + ".src"), checked_ids(dst, n, what + ".dst")};
}

void read_extras(const Arrays& arrays, const std::string& source, LinkSplit& s) {
  const Index m = s.pos.size();
  if (const auto it = arrays.find("weight"); it != arrays.end()) {
    MOEGNN_CHECK_AS(IoError, "load_ogb_link", it->second.size() == m, source, ": weight has ",
                    it->second.size(), " values vs ", m, " positive pairs");
    s.edge_weight = it->second.to_tensor().reshape(m, 1);
  }
  if (const auto it = arrays.find("year"); it != arrays.end()) {
    MOEGNN_CHECK_AS(IoError, "load_ogb_link", it->second.size() == m, source, ": year has ",
                    it->second.size(), " values vs ", m, " positive pairs");
    s.year = IndexArray32(it->second.to_int32());
  }
}

LinkSplit read_split(const std::filesystem::path& path, Index n) {
  require_file(path, "load_ogb_link", "OGB split file");
  const std::string source = path.string();
  const Arrays arrays = io::read_torch_legacy(path);
  LinkSplit s;
  if (const auto it = arrays.find("edge"); it != arrays.end()) {
    s.pos = pairs_of(it->second, n, source + ": edge");
  } else {
    MOEGNN_CHECK_AS(IoError, "load_ogb_link",
                    arrays.count("source_node") != 0 && arrays.count("target_node") != 0, source,
                    ": no positive pairs vs a key 'edge' or 'source_node' + 'target_node'");
    s.pos.src = checked_ids(arrays.at("source_node").to_int64(), n, source + ": source_node");
    s.pos.dst = checked_ids(arrays.at("target_node").to_int64(), n, source + ": target_node");
    MOEGNN_CHECK_AS(IoError, "load_ogb_link", s.pos.src.size() == s.pos.dst.size(), source,
                    ": source_node has ", s.pos.src.size(), " ids vs ", s.pos.dst.size(),
                    " in target_node");
  }
  if (const auto it = arrays.find("edge_neg"); it != arrays.end()) {
    s.neg = pairs_of(it->second, n, source + ": edge_neg");
  } else if (const auto jt = arrays.find("target_node_neg"); jt != arrays.end()) {
    const io::NpyArray& neg = jt->second;
    MOEGNN_CHECK_AS(IoError, "load_ogb_link", neg.ndim() == 2 && neg.shape()[0] == s.pos.size(),
                    source, ": target_node_neg is ", neg.shape_string(), " vs (", s.pos.size(),
                    ", K)");
    s.negatives_per_positive = neg.shape()[1];
    s.neg.dst = checked_ids(neg.to_int64(), n, source + ": target_node_neg");
    std::vector<std::int32_t> src(static_cast<std::size_t>(neg.size()));
    const auto pos_src = s.pos.src.host();
    for (std::size_t k = 0; k < src.size(); ++k)
      src[k] = pos_src[k / static_cast<std::size_t>(s.negatives_per_positive)];
    s.neg.src = graph::NodeIds(src);
  }
  read_extras(arrays, source, s);
  return s;
}

// Training positives from raw/edge.csv.gz (+ edge_weight/edge_year) when train.pt is absent.
LinkSplit read_raw_train(const std::filesystem::path& dir, Index n) {
  const std::filesystem::path path = dir / "raw" / "edge.csv.gz";
  require_file(path, "load_ogb_link", "OGB file (the training edges when train.pt is absent)");
  const io::Int64Table edges = io::read_csv_int64(path, {.num_cols = 2});
  std::vector<std::int64_t> src;
  std::vector<std::int64_t> dst;
  detail::split_pairs(edges.values, src, dst);
  LinkSplit s;
  s.pos = {checked_ids(src, n, path.string() + ": src"),
           checked_ids(dst, n, path.string() + ": dst")};
  Arrays extras;
  for (const char* key : {"weight", "year"}) {
    const std::filesystem::path extra = dir / "raw" / (std::string("edge_") + key + ".csv.gz");
    if (!std::filesystem::exists(extra)) continue;
    const io::Int64Table t = io::read_csv_int64(extra, {.num_cols = 1});
    MOEGNN_CHECK_AS(IoError, "load_ogb_link", t.rows == s.pos.size(), extra.string(), ": ", t.rows,
                    " values vs ", s.pos.size(), " edges in raw/edge.csv.gz");
    if (key[0] == 'w') {
      std::vector<float> w(t.values.begin(), t.values.end());
      s.edge_weight = Tensor::from_vector(t.rows, 1, w);
    } else {
      std::vector<std::int32_t> y(t.values.size());
      for (std::size_t k = 0; k < y.size(); ++k)
        y[k] = detail::to_int32(t.values[k], extra.string(), "year");
      s.year = IndexArray32(y);
    }
  }
  return s;
}

}  // namespace

LinkDataset load_ogb_link(const std::filesystem::path& dir, const OgbOptions& options) {
  const Index n = detail::ogb_num_nodes(dir);
  const std::filesystem::path split = detail::ogb_split_dir(dir, options.split_type);
  LinkDataset d;
  d.name = dir.filename().string();
  d.train = std::filesystem::exists(split / "train.pt") ? read_split(split / "train.pt", n)
                                                        : read_raw_train(dir, n);
  d.val = read_split(split / "valid.pt", n);
  d.test = read_split(split / "test.pt", n);
  const auto src = d.train.pos.src.host();
  const auto dst = d.train.pos.dst.host();
  const std::vector<std::int64_t> src64(src.begin(), src.end());
  const std::vector<std::int64_t> dst64(dst.begin(), dst.end());
  d.graph = detail::build_graph(src64, dst64, n, detail::EdgeConvention::Undirected,
                                (split / "train").string());
  const Tensor x = detail::ogb_features(dir, n);
  if (x.cols() > 0) d.features = x;
  check(d);
  return d;
}

}  // namespace moegnn::datasets
