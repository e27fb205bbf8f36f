// SPDX-License-Identifier: Apache-2.0
// TU format reader: each text file becomes a table of numbers (every line the same number of
// comma-separated values, errors naming file:line), then the tables are checked against each other
// and assembled into one block-diagonal GraphBatch.
#include "datasets/tu.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <utility>
#include <vector>

#include "core/error.h"
#include "datasets/io/file.h"
#include "datasets/io/text_table.h"

namespace moegnn::datasets {
namespace {

namespace fs = std::filesystem;
constexpr const char* kWho = "load_tu_dataset";

struct Table {
  fs::path path;
  Index rows = 0;
  Index cols = 0;
  std::vector<double> v;  // rows × cols
  double operator()(Index r, Index c) const { return v[static_cast<std::size_t>(r * cols + c)]; }
};

// Every line of `path` as `cols` comma-separated numbers (integers when `integer`).
Table read_table(const fs::path& path, bool integer) {
  Table t;
  t.path = path;
  const std::string text = io::read_file(path);
  const std::string source = path.string();
  io::TextLines lines(text);
  std::string_view line;
  while (lines.next(line)) {
    const Index at = lines.line_number();
    io::TextFields fields(line, ",", source, at);
    const bool blank = line.find_first_not_of(" \t\r") == std::string_view::npos;
    MOEGNN_CHECK_AS(IoError, kWho, !blank, source, ":", at, ": empty line vs ",
                    t.cols > 0 ? t.cols : 1, " value(s)");
    if (t.rows == 0) t.cols = static_cast<Index>(fields.size());
    MOEGNN_CHECK_AS(IoError, kWho, static_cast<Index>(fields.size()) == t.cols, source, ":", at,
                    ": ", fields.size(), " values vs ", t.cols, " (as on line 1)");
    for (std::size_t c = 0; c < fields.size(); ++c)
      t.v.push_back(integer ? static_cast<double>(fields.get<std::int64_t>(c))
                            : fields.get<double>(c));
    ++t.rows;
  }
  return t;
}

// The table's line count must be `rows` (what `of` counts).
void expect_rows(const Table& t, Index rows, const char* of) {
  MOEGNN_CHECK_AS(IoError, kWho, t.rows == rows, t.path.string(), ":", std::min(t.rows, rows) + 1,
                  ": ", t.rows, " lines vs ", rows, " (", of, ")",
                  t.rows < rows ? "; the file ends early" : "; the file has extra lines");
}

// Integer columns one-hot encoded, each column shifted to start at its minimum (PyG's TUDataset).
Matrix one_hot(const Table& t) {
  std::vector<std::pair<double, Index>> ranges;  // (min, width) per column
  Index width = 0;
  for (Index c = 0; c < t.cols; ++c) {
    double lo = t(0, c), hi = t(0, c);
    for (Index r = 1; r < t.rows; ++r) lo = std::min(lo, t(r, c)), hi = std::max(hi, t(r, c));
    ranges.emplace_back(lo, static_cast<Index>(hi - lo) + 1);
    width += ranges.back().second;
  }
  Matrix out = Matrix::Zero(t.rows, width);
  for (Index r = 0; r < t.rows; ++r) {
    Index base = 0;
    for (Index c = 0; c < t.cols; ++c) {
      out(r, base + static_cast<Index>(t(r, c) - ranges[c].first)) = 1.0f;
      base += ranges[c].second;
    }
  }
  return out;
}

Matrix dense(const Table& t) {
  Matrix out(t.rows, t.cols);
  for (Index r = 0; r < t.rows; ++r)
    for (Index c = 0; c < t.cols; ++c) out(r, c) = static_cast<float>(t(r, c));
  return out;
}

// [one-hot labels | attributes] of the optional files; rows × 0 when neither exists.
Matrix features(const fs::path& labels, const fs::path& attributes, Index rows, const char* of) {
  Matrix parts[2] = {Matrix(rows, 0), Matrix(rows, 0)};
  if (fs::exists(labels)) {
    const Table t = read_table(labels, true);
    expect_rows(t, rows, of);
    if (rows > 0) parts[0] = one_hot(t);
  }
  if (fs::exists(attributes)) {
    const Table t = read_table(attributes, false);
    expect_rows(t, rows, of);
    parts[1] = dense(t);
  }
  Matrix out(rows, parts[0].cols() + parts[1].cols());
  out << parts[0], parts[1];
  return out;
}

// Node ranges from the graph indicator: ptr[g] = first node of graph g.
std::vector<graph::EdgeId> graph_ptr(const Table& gi) {
  MOEGNN_CHECK_AS(IoError, kWho, gi.rows > 0 && gi.cols == 1, gi.path.string(), ":1: ", gi.rows,
                  " lines of ", gi.cols, " values vs one graph id per node");
  MOEGNN_CHECK_AS(IoError, kWho, gi(0, 0) == 1, gi.path.string(), ":1: graph id ", gi(0, 0),
                  " vs 1 (ids are 1-based)");
  std::vector<graph::EdgeId> ptr{0};
  for (Index v = 1; v < gi.rows; ++v) {
    const double step = gi(v, 0) - gi(v - 1, 0);
    MOEGNN_CHECK_AS(IoError, kWho, step == 0 || step == 1, gi.path.string(), ":", v + 1,
                    ": graph id ", gi(v, 0), " after ", gi(v - 1, 0),
                    " vs the same id or the next one (nodes grouped by graph, no graph skipped)");
    if (step == 1) ptr.push_back(v);
  }
  ptr.push_back(gi.rows);
  return ptr;
}

// The adjacency lines `a` (1-based "row, col") as a CSR: checked against the graph indicator `gi`,
// sorted by (row, col), duplicates merged (the first line kept); *order receives the line of each
// CSR edge.
graph::Csr build_adjacency(const Table& a, const Table& gi, std::vector<Index>* order_out) {
  const Index n = gi.rows;
  MOEGNN_CHECK_AS(IoError, kWho, a.rows == 0 || a.cols == 2, a.path.string(), ":1: ", a.cols,
                  " values vs 2 (row, col)");
  for (Index e = 0; e < a.rows; ++e) {
    for (Index c = 0; c < 2; ++c)
      MOEGNN_CHECK_AS(IoError, kWho, a(e, c) >= 1 && a(e, c) <= static_cast<double>(n),
                      a.path.string(), ":", e + 1, ": node id ", a(e, c), " vs 1..", n,
                      " (lines of the graph indicator)");
    const auto u = static_cast<Index>(a(e, 0)) - 1, v = static_cast<Index>(a(e, 1)) - 1;
    MOEGNN_CHECK_AS(IoError, kWho, gi(u, 0) == gi(v, 0), a.path.string(), ":", e + 1,
                    ": edge joins graph ", gi(u, 0), " and graph ", gi(v, 0),
                    " vs an edge inside one graph");
  }
  std::vector<Index> order(static_cast<std::size_t>(a.rows));
  std::iota(order.begin(), order.end(), Index{0});
  std::stable_sort(order.begin(), order.end(), [&](Index p, Index q) {
    return std::pair{a(p, 0), a(p, 1)} < std::pair{a(q, 0), a(q, 1)};
  });
  order.erase(
      std::unique(order.begin(), order.end(),
                  [&](Index p, Index q) { return a(p, 0) == a(q, 0) && a(p, 1) == a(q, 1); }),
      order.end());
  graph::EdgeIds row_ptr(n + 1);
  graph::NodeIds col_idx(static_cast<Index>(order.size()));
  std::fill_n(row_ptr.data(), n + 1, 0);
  for (std::size_t k = 0; k < order.size(); ++k) {
    ++row_ptr.data()[static_cast<Index>(a(order[k], 0))];
    col_idx.data()[k] = static_cast<graph::NodeId>(a(order[k], 1) - 1);
  }
  for (Index v = 0; v < n; ++v) row_ptr.data()[v + 1] += row_ptr.data()[v];
  *order_out = std::move(order);
  return graph::Csr(n, n, std::move(row_ptr), std::move(col_idx), {}, graph::Validate::Full);
}

}  // namespace

GraphDataset load_tu_dataset(const fs::path& dir, std::string name) {
  if (name.empty())
    name = dir.filename().empty() ? dir.parent_path().filename().string() : dir.filename().string();
  const auto file = [&](const char* suffix) {
    std::string f = name;
    f += suffix;
    return dir / f;
  };
  MOEGNN_CHECK_AS(IoError, kWho, fs::exists(file("_A.txt")), "missing file ",
                  file("_A.txt").string(), " vs a TU dataset directory named after the dataset");
  // 1. Nodes and graphs.
  const Table gi = read_table(file("_graph_indicator.txt"), true);
  const Index n = gi.rows;
  const std::vector<graph::EdgeId> ptr = graph_ptr(gi);
  const Index num_graphs = static_cast<Index>(ptr.size()) - 1;
  GraphDataset d;
  d.name = name;
  // 2. Graph labels (classes 0..C-1 in sorted order of the stored values) and attributes.
  const bool has_labels = fs::exists(file("_graph_labels.txt"));
  const bool has_targets = fs::exists(file("_graph_attributes.txt"));
  MOEGNN_CHECK_AS(IoError, kWho, has_labels || has_targets, "missing file ",
                  file("_graph_labels.txt").string(), " vs graph labels or ",
                  file("_graph_attributes.txt").filename().string());
  if (has_labels) {
    const Table t = read_table(file("_graph_labels.txt"), true);
    expect_rows(t, num_graphs, "graphs in the graph indicator");
    MOEGNN_CHECK_AS(IoError, kWho, t.cols == 1, t.path.string(), ":1: ", t.cols,
                    " values vs one label per graph");
    std::map<double, std::int32_t> classes;
    for (Index g = 0; g < num_graphs; ++g) classes.emplace(t(g, 0), 0);
    std::int32_t next = 0;
    for (auto& [value, id] : classes) id = next++;
    d.num_classes = next;
    d.labels = IndexArray32(num_graphs);
    for (Index g = 0; g < num_graphs; ++g) d.labels.data()[g] = classes.at(t(g, 0));
  }
  if (has_targets) {
    const Table t = read_table(file("_graph_attributes.txt"), false);
    expect_rows(t, num_graphs, "graphs in the graph indicator");
    d.targets = Tensor::from(dense(t));
  }
  // 3. Node features.
  Matrix x = features(file("_node_labels.txt"), file("_node_attributes.txt"), n,
                      "nodes in the graph indicator");
  if (x.cols() == 0) x = Matrix::Ones(n, 1);
  // 4. Edges, then their features in CSR order.
  const Table a = read_table(file("_A.txt"), true);
  std::vector<Index> order;
  d.graphs.graph = build_adjacency(a, gi, &order);
  const Matrix edge_features = features(file("_edge_labels.txt"), file("_edge_attributes.txt"),
                                        a.rows, "lines of the adjacency file _A.txt");
  if (edge_features.cols() > 0) {
    Matrix ea(static_cast<Index>(order.size()), edge_features.cols());
    for (std::size_t k = 0; k < order.size(); ++k)
      ea.row(static_cast<Index>(k)) = edge_features.row(order[k]);
    d.edge_attr = Tensor::from(ea);
  }
  d.graphs.x = Tensor::from(x);
  d.graphs.ptr = graph::EdgeIds(ptr);
  d.graphs.batch = IndexArray32(n);
  for (Index g = 0; g < num_graphs; ++g)
    std::fill(d.graphs.batch.data() + ptr[static_cast<std::size_t>(g)],
              d.graphs.batch.data() + ptr[static_cast<std::size_t>(g) + 1],
              static_cast<std::int32_t>(g));
  return d;
}

}  // namespace moegnn::datasets
