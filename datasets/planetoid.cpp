// SPDX-License-Identifier: Apache-2.0
// Planetoid ind.* files: pickles decoded by io::read_pickle and converted with io/py_convert.h.
#include "datasets/planetoid.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "core/error.h"
#include "graph/edge_list.h"
#include "datasets/data_dir.h"
#include "datasets/detail/loader_util.h"
#include "datasets/geom_gcn.h"
#include "datasets/io/pickle.h"
#include "datasets/io/py_convert.h"
#include "datasets/io/text_table.h"

namespace moegnn::datasets {
namespace {

constexpr Index kNumVal = 500;  // validation nodes after the training rows (Kipf, PyG)

struct Parts {
  Tensor x, tx, allx;  // features
  Tensor y, ty, ally;  // one-hot labels
  std::vector<std::int64_t> test_index;
  graph::Csr adjacency;  // the dict as stored (read once the node count is known)
};

std::filesystem::path file_of(const std::filesystem::path& dir, const std::string& name,
                              const char* part) {
  return dir / ("ind." + name + "." + part);
}

Tensor read_dense(const std::filesystem::path& path) {
  require_file(path, "load_planetoid", "Planetoid file");
  return io::to_dense_tensor(io::read_pickle(path));
}

void check_rows(const Tensor& a, const char* a_name, Index rows, const char* b_name,
                const std::filesystem::path& dir) {
  MOEGNN_CHECK_AS(IoError, "load_planetoid", a.rows() == rows, dir.string(), ": ", a_name, " has ",
                  a.rows(), " rows vs ", rows, " in ", b_name);
}

// Reads everything but the graph and checks that the parts agree.
Parts read_parts(const std::filesystem::path& dir, const std::string& name) {
  Parts p;
  p.x = read_dense(file_of(dir, name, "x"));
  p.y = read_dense(file_of(dir, name, "y"));
  p.tx = read_dense(file_of(dir, name, "tx"));
  p.ty = read_dense(file_of(dir, name, "ty"));
  p.allx = read_dense(file_of(dir, name, "allx"));
  p.ally = read_dense(file_of(dir, name, "ally"));
  const std::filesystem::path index_path = file_of(dir, name, "test.index");
  require_file(index_path, "load_planetoid", "Planetoid file");
  p.test_index = io::read_int_table(index_path, {.separator = "", .num_cols = 1}).values;
  check_rows(p.y, "ind.y", p.x.rows(), "ind.x", dir);
  check_rows(p.ty, "ind.ty", p.tx.rows(), "ind.tx", dir);
  check_rows(p.ally, "ind.ally", p.allx.rows(), "ind.allx", dir);
  MOEGNN_CHECK_AS(IoError, "load_planetoid", static_cast<Index>(p.test_index.size()) == p.tx.rows(),
                  index_path.string(), ": ", p.test_index.size(), " ids vs ", p.tx.rows(),
                  " rows in ind.tx");
  for (const Tensor* t : {&p.tx, &p.allx})
    MOEGNN_CHECK_AS(IoError, "load_planetoid", t->cols() == p.x.cols(), dir.string(), ": ",
                    t == &p.tx ? "ind.tx" : "ind.allx", " has ", t->cols(), " feature columns vs ",
                    p.x.cols(), " in ind.x");
  for (const Tensor* t : {&p.ty, &p.ally})
    MOEGNN_CHECK_AS(IoError, "load_planetoid", t->cols() == p.y.cols(), dir.string(), ": ",
                    t == &p.ty ? "ind.ty" : "ind.ally", " has ", t->cols(), " classes vs ",
                    p.y.cols(), " in ind.y");
  MOEGNN_CHECK_AS(IoError, "load_planetoid", p.allx.rows() >= p.x.rows() + kNumVal, dir.string(),
                  ": ind.allx has ", p.allx.rows(), " rows vs at least ", p.x.rows() + kNumVal,
                  " (training rows + 500 validation rows)");
  return p;
}

// Node count, after checking the test ids (unique, after the allx rows, and below what the files
// justify: allx + tx rows, or the nodes listed in ind.<name>.graph; citeseer's test ids skip 15
// isolated nodes that the graph lists). The bound keeps a corrupt id from sizing every array.
Index count_nodes(const Parts& p, Index graph_nodes, const std::filesystem::path& dir,
                  const std::string& name) {
  const std::string source = file_of(dir, name, "test.index").string();
  const Index bound = std::max(p.allx.rows() + p.tx.rows(), graph_nodes);
  std::vector<std::int64_t> sorted = p.test_index;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    MOEGNN_CHECK_AS(IoError, "load_planetoid", sorted[i] >= p.allx.rows() && sorted[i] < bound,
                    source, ": test id ", sorted[i], " vs [", p.allx.rows(), ", ", bound,
                    ") (test ids follow the allx rows; the bound is the larger of allx + tx = ",
                    p.allx.rows() + p.tx.rows(), " rows and the ", graph_nodes, " nodes of ind.",
                    name, ".graph); the file is corrupt");
    MOEGNN_CHECK_AS(IoError, "load_planetoid", i == 0 || sorted[i] != sorted[i - 1], source,
                    ": test id ", sorted[i], " appears twice vs once");
  }
  const Index last = sorted.empty() ? 0 : sorted.back() + 1;
  return std::max(p.allx.rows() + p.tx.rows(), last);
}

// Features and labels in node order: allx/ally rows first, then tx/ty row i at test_index[i].
void assemble(const Parts& p, Index n, NodeDataset& d) {
  d.features = Tensor::zeros(n, p.x.cols());
  auto x = d.features.host();
  x.topRows(p.allx.rows()) = p.allx.host();
  std::vector<std::int32_t> labels(static_cast<std::size_t>(n), 0);
  const std::vector<std::int32_t> ally = detail::argmax_rows(p.ally);
  const std::vector<std::int32_t> ty = detail::argmax_rows(p.ty);
  std::copy(ally.begin(), ally.end(), labels.begin());
  const auto tx = p.tx.host();
  for (std::size_t i = 0; i < p.test_index.size(); ++i) {
    x.row(p.test_index[i]) = tx.row(static_cast<Index>(i));
    labels[static_cast<std::size_t>(p.test_index[i])] = ty[i];
  }
  d.labels = IndexArray32(labels);
  d.num_classes = p.y.cols();
}

// The adjacency dict of ind.<name>.graph, decoded (converted once the node count is known).
io::PyValue read_graph_dict(const std::filesystem::path& dir, const std::string& name) {
  const std::filesystem::path path = file_of(dir, name, "graph");
  require_file(path, "load_planetoid", "Planetoid file");
  io::PyValue dict = io::read_pickle(path);
  MOEGNN_CHECK_AS(IoError, "load_planetoid", dict.is(io::PyKind::Dict), path.string(),
                  ": holds ", dict.describe(), " vs a dict of adjacency lists");
  return dict;
}

graph::Csr read_graph(const std::filesystem::path& dir, const std::string& name,
                      const io::PyValue& dict, Index n) {
  const std::filesystem::path path = file_of(dir, name, "graph");
  const graph::Csr stored = io::adjacency_dict_to_csr(dict, n);
  const graph::EdgeList edges = graph::to_edge_list(stored);
  const auto src = edges.src.host();
  const auto dst = edges.dst.host();
  const std::vector<std::int64_t> src64(src.begin(), src.end());
  const std::vector<std::int64_t> dst64(dst.begin(), dst.end());
  return detail::build_graph(src64, dst64, n, detail::EdgeConvention::Undirected, path.string());
}

IndexArray32 id_range(Index begin, Index end) {
  std::vector<std::int32_t> ids(static_cast<std::size_t>(end - begin));
  std::iota(ids.begin(), ids.end(), static_cast<std::int32_t>(begin));
  return IndexArray32(ids);
}

}  // namespace

NodeDataset load_planetoid(const std::filesystem::path& dir, const std::string& name,
                           const PlanetoidOptions& options) {
  const Parts parts = read_parts(dir, name);
  const io::PyValue dict = read_graph_dict(dir, name);
  const Index n = count_nodes(parts, static_cast<Index>(dict.size()), dir, name);
  MOEGNN_CHECK_AS(IoError, "load_planetoid", parts.y.cols() <= n, file_of(dir, name, "y").string(),
                  ": ", parts.y.cols(), " classes vs at most ", n,
                  " (class ids are bounded by the node count); the file is corrupt");
  NodeDataset d;
  d.name = name;
  assemble(parts, n, d);
  d.graph = read_graph(dir, name, dict, n);
  d.train = id_range(0, parts.x.rows());
  d.val = id_range(parts.x.rows(), parts.x.rows() + kNumVal);
  std::vector<std::int64_t> test = parts.test_index;
  std::sort(test.begin(), test.end());
  d.test = IndexArray32(std::vector<std::int32_t>(test.begin(), test.end()));
  if (options.normalize_features) d.features = row_normalize(d.features);
  if (options.geom_gcn_splits) d.splits = read_geom_gcn_splits(dir / "geom-gcn-splits", name, n);
  check(d);
  return d;
}

Tensor row_normalize(const Tensor& features) {
  Tensor out = features.to(Device::Cpu).clone();
  auto x = out.host();
  for (Index r = 0; r < x.rows(); ++r) {
    const float sum = x.row(r).sum();
    if (sum != 0.0f) x.row(r) /= sum;
  }
  return out;
}

}  // namespace moegnn::datasets
