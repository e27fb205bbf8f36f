// SPDX-License-Identifier: Apache-2.0
// ogbg-* raw layout -> GraphDataset: per-graph node and edge counts place each graph's local ids
// into one block-diagonal graph; edges are bucketed by destination row (stable, so each row keeps
// the file's order before its columns are sorted).
#include "datasets/ogb_graph.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "core/error.h"
#include "datasets/data_dir.h"
#include "datasets/detail/ogb_common.h"
#include "datasets/io/csv.h"
#include "datasets/io/file.h"
#include "datasets/io/text_table.h"

namespace moegnn::datasets {
namespace {

namespace fs = std::filesystem;
constexpr const char* kWho = "load_ogb_graph_dataset";

std::vector<std::int64_t> read_counts(const fs::path& path) {
  require_file(path, kWho, "OGB file");
  const io::Int64Table t = io::read_csv_int64(path, {.num_cols = 1});
  for (std::size_t k = 0; k < t.values.size(); ++k)
    MOEGNN_CHECK_AS(IoError, kWho, t.values[k] >= 0, path.string(), ": line ", k + 1, ": count ",
                    t.values[k], " vs >= 0");
  return t.values;
}

// graph-label.csv.gz: numbers, with empty fields or "nan" for unlabelled entries.
Tensor read_targets(const fs::path& path, Index num_graphs) {
  require_file(path, kWho, "OGB file");
  const std::string text = io::read_maybe_gzip(path);
  io::TextLines lines(text);
  std::string_view line;
  std::vector<float> values;
  Index cols = -1, rows = 0;
  const std::string source = path.string();  // outlives the fields, which keep a view of it
  while (lines.next(line)) {
    io::TextFields f(line, ",", source, lines.line_number());
    if (cols < 0) cols = static_cast<Index>(f.size());
    f.expect_size(static_cast<std::size_t>(cols));
    for (std::size_t c = 0; c < f.size(); ++c) {
      const std::string_view v = f[c];
      values.push_back(v.empty() || v == "nan" || v == "NaN"
                           ? std::numeric_limits<float>::quiet_NaN()
                           : f.get<float>(c));
    }
    ++rows;
  }
  MOEGNN_CHECK_AS(IoError, kWho, rows == num_graphs, path.string(), ": ", rows, " lines vs ",
                  num_graphs, " graphs in raw/num-node-list.csv.gz");
  return Tensor::from_vector(rows, std::max<Index>(cols, 0), values);
}

std::vector<graph::NodeId> read_ids(const fs::path& path, Index num_graphs) {
  require_file(path, kWho, "OGB split file");
  const io::Int64Table t = io::read_csv_int64(path, {.num_cols = 1});
  std::vector<graph::NodeId> ids;
  for (std::size_t k = 0; k < t.values.size(); ++k) {
    MOEGNN_CHECK_AS(IoError, kWho, t.values[k] >= 0 && t.values[k] < num_graphs, path.string(),
                    ": line ", k + 1, ": graph id ", t.values[k], " vs [0, ", num_graphs, ")");
    ids.push_back(static_cast<graph::NodeId>(t.values[k]));
  }
  return ids;
}

// Optional feature file with `rows` lines; rows × 0 when absent.
Tensor read_features(const fs::path& path, Index rows, const char* of) {
  if (!fs::exists(path)) return Tensor::empty(rows, 0);
  Tensor t = io::read_csv_float(path);
  MOEGNN_CHECK_AS(IoError, kWho, t.rows() == rows, path.string(), ": ", t.rows(), " lines vs ",
                  rows, " ", of);
  return t;
}

}  // namespace

GraphDataset load_ogb_graph_dataset(const fs::path& dir, const std::string& split_type) {
  const fs::path raw = dir / "raw";
  const std::vector<std::int64_t> nodes = read_counts(raw / "num-node-list.csv.gz");
  const std::vector<std::int64_t> edges = read_counts(raw / "num-edge-list.csv.gz");
  const auto num_graphs = static_cast<Index>(nodes.size());
  MOEGNN_CHECK_AS(IoError, kWho, edges.size() == nodes.size(),
                  (raw / "num-edge-list.csv.gz").string(), ": ", edges.size(), " lines vs ",
                  nodes.size(), " graphs in num-node-list.csv.gz");
  const Index n = std::accumulate(nodes.begin(), nodes.end(), Index{0});
  const Index m = std::accumulate(edges.begin(), edges.end(), Index{0});
  const fs::path edge_path = raw / "edge.csv.gz";
  require_file(edge_path, kWho, "OGB file");
  const io::Int64Table e = io::read_csv_int64(edge_path, {.num_cols = 2});
  MOEGNN_CHECK_AS(IoError, kWho, e.rows == m, edge_path.string(), ": ", e.rows, " lines vs ", m,
                  " edges in num-edge-list.csv.gz");
  // 1. Global ids (dst row, src column) of every edge line, checked against its graph.
  std::vector<graph::NodeId> dst(static_cast<std::size_t>(m)), src(static_cast<std::size_t>(m));
  std::vector<graph::EdgeId> ptr{0};
  Index line = 0;
  for (Index g = 0; g < num_graphs; ++g) {
    const std::int64_t size = nodes[static_cast<std::size_t>(g)], base = ptr.back();
    for (std::int64_t k = 0; k < edges[static_cast<std::size_t>(g)]; ++k, ++line)
      for (Index c = 0; c < 2; ++c) {
        const std::int64_t id = e(line, c);
        MOEGNN_CHECK_AS(IoError, kWho, id >= 0 && id < size, edge_path.string(), ": line ",
                        line + 1, ": node id ", id, " vs [0, ", size, ") (graph ", g, ")");
        (c == 0 ? src : dst)[static_cast<std::size_t>(line)] =
            static_cast<graph::NodeId>(base + id);
      }
    ptr.push_back(base + size);
  }
  // 2. CSR by destination, columns sorted within each row; `order` maps CSR edge -> line.
  std::vector<Index> order(static_cast<std::size_t>(m));
  std::iota(order.begin(), order.end(), Index{0});
  std::stable_sort(order.begin(), order.end(), [&](Index p, Index q) {
    return std::pair{dst[static_cast<std::size_t>(p)], src[static_cast<std::size_t>(p)]} <
           std::pair{dst[static_cast<std::size_t>(q)], src[static_cast<std::size_t>(q)]};
  });
  graph::EdgeIds row_ptr(n + 1);
  graph::NodeIds col_idx(m);
  std::fill_n(row_ptr.data(), n + 1, 0);
  for (std::size_t k = 0; k < order.size(); ++k) {
    ++row_ptr.data()[dst[static_cast<std::size_t>(order[k])] + 1];
    col_idx.data()[k] = src[static_cast<std::size_t>(order[k])];
  }
  for (Index v = 0; v < n; ++v) row_ptr.data()[v + 1] += row_ptr.data()[v];
  GraphDataset d;
  d.name = dir.filename().string();
  d.graphs.graph =
      graph::Csr(n, n, std::move(row_ptr), std::move(col_idx), {}, graph::Validate::Full);
  d.graphs.ptr = graph::EdgeIds(ptr);
  d.graphs.batch = IndexArray32(n);
  for (Index g = 0; g < num_graphs; ++g)
    std::fill(d.graphs.batch.data() + ptr[static_cast<std::size_t>(g)],
              d.graphs.batch.data() + ptr[static_cast<std::size_t>(g) + 1],
              static_cast<std::int32_t>(g));
  // 3. Features, edge features in CSR order, targets, split.
  d.graphs.x = read_features(raw / "node-feat.csv.gz", n, "nodes in num-node-list.csv.gz");
  if (d.graphs.x.cols() == 0) d.graphs.x = Tensor::ones(n, 1);
  const Tensor ef = read_features(raw / "edge-feat.csv.gz", m, "edges in num-edge-list.csv.gz");
  if (ef.cols() > 0) {
    Matrix ea(m, ef.cols());
    for (std::size_t k = 0; k < order.size(); ++k)
      ea.row(static_cast<Index>(k)) = ef.host().row(order[k]);
    d.edge_attr = Tensor::from(ea);
  }
  d.targets = read_targets(raw / "graph-label.csv.gz", num_graphs);
  const auto t = d.targets.host();
  const bool classes = t.cols() == 1 && num_graphs > 0 && (t.array() >= 0).all() &&
                       (t.array() == t.array().floor()).all();
  if (classes) {
    d.labels = IndexArray32(num_graphs);
    for (Index g = 0; g < num_graphs; ++g) d.labels.data()[g] = static_cast<std::int32_t>(t(g, 0));
    d.num_classes = static_cast<Index>(t.maxCoeff()) + 1;
  }
  const fs::path split = detail::ogb_split_dir(dir, split_type);
  d.train = read_ids(split / "train.csv.gz", num_graphs);
  d.val = read_ids(split / "valid.csv.gz", num_graphs);
  d.test = read_ids(split / "test.csv.gz", num_graphs);
  return d;
}

}  // namespace moegnn::datasets
