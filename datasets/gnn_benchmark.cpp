// SPDX-License-Identifier: Apache-2.0
// gnn-benchmark .npz: CSR arrays validated here, then the graph goes through the shared builder.
#include "datasets/gnn_benchmark.h"

#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "datasets/class_split.h"
#include "datasets/data_dir.h"
#include "datasets/detail/loader_util.h"
#include "datasets/io/npz.h"

namespace moegnn::datasets {
namespace {

using Arrays = std::map<std::string, io::NpyArray>;

const io::NpyArray& member(const Arrays& arrays, const std::string& key,
                           const std::string& source) {
  const auto it = arrays.find(key);
  MOEGNN_CHECK_AS(IoError, "load_gnn_benchmark_npz", it != arrays.end(), source, ": no member '",
                  key, "' vs the gnn-benchmark keys (adj_*, attr_* or attr_matrix, labels)");
  return it->second;
}

// A CSR triple <prefix>_indptr/_indices/_shape, checked: returns rows, cols, indptr, indices.
struct CsrArrays {
  std::int64_t rows = 0, cols = 0;
  std::vector<std::int64_t> indptr, indices;
};

CsrArrays read_csr(const Arrays& arrays, const std::string& prefix, const std::string& source) {
  CsrArrays c;
  const std::vector<std::int64_t> shape = member(arrays, prefix + "_shape", source).to_int64();
  MOEGNN_CHECK_AS(IoError, "load_gnn_benchmark_npz",
                  shape.size() == 2 && shape[0] >= 0 && shape[1] >= 0 && shape[0] < (1LL << 31) &&
                      shape[1] < (1LL << 31),
                  source, ": ", prefix, "_shape has ", shape.size(), " entries vs 2 in [0, 2^31)");
  c.rows = shape[0];
  c.cols = shape[1];
  c.indptr = member(arrays, prefix + "_indptr", source).to_int64();
  c.indices = member(arrays, prefix + "_indices", source).to_int64();
  MOEGNN_CHECK_AS(
      IoError, "load_gnn_benchmark_npz",
      static_cast<std::int64_t>(c.indptr.size()) == c.rows + 1 && c.indptr.front() == 0 &&
          c.indptr.back() == static_cast<std::int64_t>(c.indices.size()),
      source, ": ", prefix, "_indptr has ", c.indptr.size(), " entries ending at ",
      c.indptr.empty() ? 0 : c.indptr.back(), " vs ", c.rows + 1, " from 0 to ", c.indices.size());
  for (std::size_t r = 0; r + 1 < c.indptr.size(); ++r)
    MOEGNN_CHECK_AS(IoError, "load_gnn_benchmark_npz", c.indptr[r] <= c.indptr[r + 1], source, ": ",
                    prefix, "_indptr decreases at row ", r, " vs non-decreasing");
  for (std::size_t k = 0; k < c.indices.size(); ++k)
    MOEGNN_CHECK_AS(IoError, "load_gnn_benchmark_npz", c.indices[k] >= 0 && c.indices[k] < c.cols,
                    source, ": ", prefix, "_indices[", k, "] = ", c.indices[k],
                    " out of range vs [0, ", c.cols, ")");
  return c;
}

Tensor read_attributes(const Arrays& arrays, std::int64_t num_nodes, const std::string& source) {
  if (arrays.count("attr_matrix") != 0) {
    Tensor x = arrays.at("attr_matrix").to_tensor();
    MOEGNN_CHECK_AS(IoError, "load_gnn_benchmark_npz", x.rows() == num_nodes, source,
                    ": attr_matrix has ", x.rows(), " rows vs ", num_nodes, " nodes");
    return x;
  }
  if (arrays.count("attr_shape") == 0) return Tensor::zeros(num_nodes, 0);
  const CsrArrays a = read_csr(arrays, "attr", source);
  MOEGNN_CHECK_AS(IoError, "load_gnn_benchmark_npz", a.rows == num_nodes, source,
                  ": attr_shape has ", a.rows, " rows vs ", num_nodes, " nodes");
  const Tensor data = member(arrays, "attr_data", source).to_tensor();
  MOEGNN_CHECK_AS(IoError, "load_gnn_benchmark_npz",
                  data.size() == static_cast<Index>(a.indices.size()), source, ": attr_data has ",
                  data.size(), " values vs ", a.indices.size(), " indices");
  Tensor x = Tensor::zeros(a.rows, a.cols);
  auto m = x.host();
  const float* values = data.data();
  for (std::int64_t r = 0; r < a.rows; ++r)
    for (std::int64_t k = a.indptr[r]; k < a.indptr[r + 1]; ++k) m(r, a.indices[k]) += values[k];
  return x;
}

}  // namespace

NodeDataset load_gnn_benchmark_npz(const std::filesystem::path& path,
                                   const GnnBenchmarkOptions& options) {
  require_file(path, "load_gnn_benchmark_npz", "gnn-benchmark file");
  const std::string source = path.string();
  const Arrays arrays = io::read_npz(path);
  MOEGNN_CHECK_AS(Unsupported, "load_gnn_benchmark_npz", arrays.count("labels_data") == 0, source,
                  ": sparse (multi-label) labels vs one label per node");
  const CsrArrays adj = read_csr(arrays, "adj", source);
  MOEGNN_CHECK_AS(IoError, "load_gnn_benchmark_npz", adj.rows == adj.cols, source,
                  ": adjacency is ", adj.rows, " x ", adj.cols, " vs square");
  std::vector<std::int64_t> src(adj.indices.size());
  for (std::int64_t r = 0; r < adj.rows; ++r)
    for (std::int64_t k = adj.indptr[r]; k < adj.indptr[r + 1]; ++k) src[k] = r;
  NodeDataset d;
  d.name = path.stem().string();
  d.graph = detail::build_graph(src, adj.indices, adj.rows,
                                options.as_stored ? detail::EdgeConvention::AsStored
                                                  : detail::EdgeConvention::Undirected,
                                source);
  d.features = read_attributes(arrays, adj.rows, source);
  const std::vector<std::int32_t> labels = member(arrays, "labels", source).to_int32();
  MOEGNN_CHECK_AS(IoError, "load_gnn_benchmark_npz", static_cast<Index>(labels.size()) == adj.rows,
                  source, ": labels has ", labels.size(), " entries vs ", adj.rows, " nodes");
  d.num_classes = detail::count_classes(labels, source);
  d.labels = IndexArray32(labels);
  const NodeSplit split = per_class_split(labels, d.num_classes, options.train_per_class,
                                          options.val_per_class, options.split_seed);
  d.train = split.train;
  d.val = split.val;
  d.test = split.test;
  check(d);
  return d;
}

}  // namespace moegnn::datasets
