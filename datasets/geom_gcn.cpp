// SPDX-License-Identifier: Apache-2.0
// Geom-GCN text files and split masks. Features are parsed line by line with io::TextFields,
// collected in file order, then scattered to the rows named by the id column.
#include "datasets/geom_gcn.h"

#include <algorithm>
#include <string_view>

#include "core/error.h"
#include "datasets/data_dir.h"
#include "datasets/detail/loader_util.h"
#include "datasets/io/file.h"
#include "datasets/io/npz.h"
#include "datasets/io/text_table.h"

namespace moegnn::datasets {
namespace {

constexpr int kNumSplits = 10;

struct FeatureFile {
  Tensor features;
  std::vector<std::int32_t> labels;
};

// One parsed node line.
struct NodeLine {
  std::int64_t id = 0;
  std::vector<float> dense;           // dense format
  std::vector<std::int64_t> indices;  // sparse (film) format
  std::int32_t label = 0;
};

std::vector<NodeLine> parse_node_lines(std::string_view text, const std::string& source,
                                       bool& sparse) {
  io::TextLines lines(text);
  std::string_view line;
  MOEGNN_CHECK_AS(IoError, "load_geom_gcn", lines.next(line), source,
                  ": empty file vs a header line and one line per node");
  sparse = line.find("feature_amount") != std::string_view::npos;
  std::vector<NodeLine> nodes;
  while (lines.next(line)) {
    if (line.empty()) continue;
    const io::TextFields fields(line, "\t", source, lines.line_number());
    fields.expect_size(3);
    NodeLine node;
    node.id = fields.get<std::int64_t>(0);
    if (sparse) {
      node.indices = fields.get_list<std::int64_t>(1, ',');
    } else {
      node.dense = fields.get_list<float>(1, ',');
    }
    node.label = fields.get<std::int32_t>(2);
    nodes.push_back(std::move(node));
  }
  return nodes;
}

// Row of each line: checks the ids form a permutation of 0..N-1.
void check_ids(const std::vector<NodeLine>& nodes, const std::string& source) {
  const auto n = static_cast<std::int64_t>(nodes.size());
  std::vector<bool> seen(nodes.size(), false);
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    const std::int64_t id = nodes[k].id;
    MOEGNN_CHECK_AS(IoError, "load_geom_gcn", id >= 0 && id < n, source, ": node line ", k + 1,
                    " has id ", id, " out of range vs [0, ", n, ") (one line per node)");
    MOEGNN_CHECK_AS(IoError, "load_geom_gcn", !seen[static_cast<std::size_t>(id)], source,
                    ": node id ", id, " appears twice vs once");
    seen[static_cast<std::size_t>(id)] = true;
  }
}

FeatureFile read_features(const std::filesystem::path& path) {
  const std::string source = path.string();
  bool sparse = false;
  const std::vector<NodeLine> nodes = parse_node_lines(io::read_file(path), source, sparse);
  MOEGNN_CHECK_AS(IoError, "load_geom_gcn", !nodes.empty(), source, ": no node lines vs >= 1");
  check_ids(nodes, source);
  Index width = 0;
  for (const NodeLine& node : nodes) {
    if (sparse) {
      for (const std::int64_t c : node.indices) {
        MOEGNN_CHECK_AS(IoError, "load_geom_gcn", c >= 0 && c < (std::int64_t{1} << 24), source,
                        ": node ", node.id, ": feature index ", c, " vs [0, 2^24)");
        width = std::max<Index>(width, c + 1);
      }
    } else {
      const auto w = static_cast<Index>(node.dense.size());
      MOEGNN_CHECK_AS(IoError, "load_geom_gcn", &node == &nodes.front() || w == width, source,
                      ": node ", node.id, " has ", w, " features vs ", width, " on the first line");
      width = w;
    }
  }
  FeatureFile out{Tensor::zeros(static_cast<Index>(nodes.size()), width),
                  std::vector<std::int32_t>(nodes.size())};
  auto x = out.features.host();
  for (const NodeLine& node : nodes) {
    if (sparse) {
      for (const std::int64_t c : node.indices) x(node.id, c) = 1.0f;
    } else {
      std::copy(node.dense.begin(), node.dense.end(), x.row(node.id).data());
    }
    out.labels[static_cast<std::size_t>(node.id)] = node.label;
  }
  return out;
}

graph::Csr read_edges(const std::filesystem::path& path, Index num_nodes, bool as_published) {
  const io::Int64Table table =
      io::read_int_table(path, io::TableOptions{.separator = "\t", .skip_lines = 1, .num_cols = 2});
  std::vector<std::int64_t> src;
  std::vector<std::int64_t> dst;
  detail::split_pairs(table.values, src, dst);
  return detail::build_graph(src, dst, num_nodes,
                             as_published ? detail::EdgeConvention::AsStored
                                          : detail::EdgeConvention::Undirected,
                             path.string());
}

}  // namespace

std::vector<NodeSplit> read_geom_gcn_splits(const std::filesystem::path& folder,
                                            const std::string& name, Index num_nodes) {
  std::vector<NodeSplit> splits;
  for (int k = 0; k < kNumSplits; ++k) {
    const std::filesystem::path path =
        folder / (name + "_split_0.6_0.2_" + std::to_string(k) + ".npz");
    if (k == 0 && !std::filesystem::exists(path)) return splits;
    require_file(path, "read_geom_gcn_splits", "Geom-GCN split file");
    const auto masks = io::read_npz(path, {"train_mask", "val_mask", "test_mask"});
    NodeSplit split;
    IndexArray32* parts[] = {&split.train, &split.val, &split.test};
    const char* keys[] = {"train_mask", "val_mask", "test_mask"};
    std::vector<int> owner(static_cast<std::size_t>(num_nodes), -1);
    for (int p = 0; p < 3; ++p) {
      const std::vector<bool> mask = masks.at(keys[p]).to_bool();
      MOEGNN_CHECK_AS(IoError, "read_geom_gcn_splits", static_cast<Index>(mask.size()) == num_nodes,
                      path.string(), ": ", keys[p], " has ", mask.size(), " entries vs ", num_nodes,
                      " nodes");
      for (std::size_t i = 0; i < mask.size(); ++i) {
        if (!mask[i]) continue;
        MOEGNN_CHECK_AS(IoError, "read_geom_gcn_splits", owner[i] < 0, path.string(), ": node ", i,
                        " is in ", keys[owner[i] < 0 ? 0 : owner[i]], " and ", keys[p],
                        " vs disjoint masks");
        owner[i] = p;
      }
      *parts[p] = detail::mask_to_ids(mask);
    }
    splits.push_back(std::move(split));
  }
  return splits;
}

NodeDataset load_geom_gcn(const std::filesystem::path& dir, const std::string& name,
                          const GeomGcnOptions& options) {
  const std::filesystem::path feature_path = dir / "out1_node_feature_label.txt";
  const std::filesystem::path edge_path = dir / "out1_graph_edges.txt";
  require_file(feature_path, "load_geom_gcn", "Geom-GCN node file");
  require_file(edge_path, "load_geom_gcn", "Geom-GCN edge file");
  FeatureFile nodes = read_features(feature_path);
  NodeDataset d;
  d.name = name;
  d.features = nodes.features;
  d.num_classes = detail::count_classes(nodes.labels, feature_path.string());
  d.labels = IndexArray32(nodes.labels);
  d.graph = read_edges(edge_path, d.features.rows(), options.as_published);
  d.splits = read_geom_gcn_splits(dir / "splits", name, d.num_nodes());
  MOEGNN_CHECK_AS(IoError, "load_geom_gcn", !options.require_splits || !d.splits.empty(),
                  (dir / "splits").string(), ": no ", name,
                  "_split_0.6_0.2_0.npz vs 10 split files; pass require_splits = false to load "
                  "without them");
  if (!d.splits.empty()) use_split(d, 0);
  check(d);
  return d;
}

}  // namespace moegnn::datasets
