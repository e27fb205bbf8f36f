// SPDX-License-Identifier: Apache-2.0
// LINKX datasets: facebook100 and pokec/genius through the MAT-file reader, twitch-gamer through
// the text-table helpers, splits through the object-array .npy reader. Labels, features and edges
// follow the reference loaders (dataset.py, load_data.py); see linkx.h for each choice.
#include "datasets/linkx.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/error.h"
#include "datasets/data_dir.h"
#include "datasets/detail/linkx_common.h"
#include "datasets/detail/loader_util.h"
#include "datasets/io/mat.h"
#include "datasets/io/npy.h"
#include "datasets/split.h"

namespace moegnn::datasets {
namespace {

constexpr const char* kWhere =
    "; LINKX's files: facebook100/*.mat and splits/ come with github.com/CUAI/"
    "Non-Homophily-Large-Scale (data/), pokec, genius and the twitch-gamer CSVs from the links in "
    "its data_utils.py (or SNAP's twitch_gamers release); place them under ";

// Elements of a numeric array as int64; floating-point elements must be whole numbers.
std::vector<std::int64_t> integral_values(const io::NpyArray& a, const std::string& source) {
  if (!io::is_floating(a.dtype())) return a.to_int64();
  std::vector<std::int64_t> out(static_cast<std::size_t>(a.size()));
  for (std::size_t k = 0; k < out.size(); ++k) {
    const double v = a.dtype() == io::NpyDType::Float64 ? static_cast<const double*>(a.data())[k]
                                                        : static_cast<const float*>(a.data())[k];
    MOEGNN_CHECK_AS(IoError, "load_linkx",
                    std::isfinite(v) && v == std::trunc(v) && std::abs(v) < 9.007199254740992e15,
                    source, ": element ", k, " is ", v, " vs a whole number");
    out[k] = static_cast<std::int64_t>(v);
  }
  return out;
}

std::vector<std::int32_t> ids_of(const io::PyValue& v, const std::string& where) {
  std::vector<std::int64_t> raw;
  if (v.is(io::PyKind::NdArray) && !v.is_object_array()) {
    raw = v.ndarray().to_int64();
  } else if (v.is(io::PyKind::List) || v.is(io::PyKind::Tuple)) {
    raw.reserve(v.size());
    for (std::size_t k = 0; k < v.size(); ++k) raw.push_back(v[k].as_int());
  } else {
    MOEGNN_FAIL(IoError, "read_linkx_splits", where, " holds ", v.describe(),
                " vs a list or an integer array of node ids");
  }
  std::vector<std::int32_t> ids(raw.size());
  for (std::size_t k = 0; k < raw.size(); ++k) ids[k] = detail::to_int32(raw[k], where, "node id");
  return ids;
}

// One-hot columns of one local_info column as sklearn's label_binarize(col, classes=unique(col)).
Index binarize(const std::vector<std::int64_t>& info, Index cols, Index col, Index n,
               std::vector<std::vector<std::int32_t>>& hot) {
  std::vector<std::int64_t> values(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) values[i] = info[static_cast<std::size_t>(i * cols + col)];
  std::vector<std::int64_t> classes = values;
  std::sort(classes.begin(), classes.end());
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
  const auto k = static_cast<Index>(classes.size());
  for (Index i = 0; i < n; ++i) {
    const auto c = static_cast<Index>(std::lower_bound(classes.begin(), classes.end(), values[i]) -
                                      classes.begin());
    if (k >= 3)
      hot[i].push_back(static_cast<std::int32_t>(c));
    else if (k == 2 && c == 1)
      hot[i].push_back(0);  // two classes: one column marking the larger value
  }
  return k >= 3 ? k : 1;  // one class: a single all-zero column
}

}  // namespace

namespace detail {

// LINKX labels (-1 = missing) into the dataset; missing ones become 0 and are listed.
void set_linkx_labels(LinkxDataset& out, const std::vector<std::int64_t>& raw,
                      const std::string& source) {
  std::vector<std::int32_t> labels(raw.size(), 0);
  std::vector<std::int32_t> missing;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    MOEGNN_CHECK_AS(IoError, "load_linkx", raw[i] >= -1 && raw[i] < (1 << 20), source, ": node ", i,
                    " has label ", raw[i], " vs -1 (missing) or a class id in [0, 2^20)");
    if (raw[i] < 0)
      missing.push_back(static_cast<std::int32_t>(i));
    else
      labels[i] = static_cast<std::int32_t>(raw[i]);
  }
  MOEGNN_CHECK_AS(IoError, "load_linkx", missing.size() < raw.size(), source, ": ", raw.size(),
                  " nodes, none labeled vs at least one label");
  out.data.num_classes = count_classes(labels, source);
  out.data.labels = IndexArray32(labels);
  out.unlabeled = IndexArray32(missing);
}

void attach_linkx_splits(LinkxDataset& out, const std::filesystem::path& splits_file,
                         const LinkxOptions& options) {
  if (splits_file.empty() || !std::filesystem::exists(splits_file)) {
    MOEGNN_CHECK_AS(IoError, "load_linkx", !options.require_splits, splits_file.string(),
                    ": no such split file vs LINKX's splits/<name>-splits.npy; pass "
                    "require_splits = false to load without splits");
    if (options.random_splits > 0) {
      out.data.splits = linkx_random_splits(out, options.random_splits);
      use_split(out.data, 0);
    }
    return;
  }
  out.data.splits = read_linkx_splits(splits_file, out.data.num_nodes());
  std::vector<bool> missing(static_cast<std::size_t>(out.data.num_nodes()), false);
  for (const std::int32_t i : out.unlabeled.host()) missing[static_cast<std::size_t>(i)] = true;
  for (std::size_t s = 0; s < out.data.splits.size(); ++s) {
    const NodeSplit& split = out.data.splits[s];
    for (const IndexArray32* part : {&split.train, &split.val, &split.test})
      for (const std::int32_t i : part->host())
        MOEGNN_CHECK_AS(IoError, "load_linkx", !missing[static_cast<std::size_t>(i)],
                        splits_file.string(), ": split ", s, " holds node ", i,
                        " whose label is missing vs labeled nodes only (a split file of "
                        "another graph?)");
  }
  if (!out.data.splits.empty()) use_split(out.data, 0);
}

}  // namespace detail

std::vector<NodeSplit> linkx_random_splits(const LinkxDataset& dataset, Index count,
                                           double train_fraction, double val_fraction) {
  MOEGNN_CHECK_AS(InvalidArgument, "linkx_random_splits", count >= 1, "count ", count,
                  " vs >= 1");
  std::vector<bool> missing(static_cast<std::size_t>(dataset.data.num_nodes()), false);
  for (const std::int32_t i : dataset.unlabeled.host()) missing[static_cast<std::size_t>(i)] = true;
  std::vector<std::int32_t> labelled;
  for (std::size_t i = 0; i < missing.size(); ++i)
    if (!missing[i]) labelled.push_back(static_cast<std::int32_t>(i));
  std::vector<NodeSplit> out;
  for (Index r = 0; r < count; ++r) {
    // A random split of positions 0..m-1, then mapped to the labelled nodes.
    const NodeSplit s = random_split(static_cast<Index>(labelled.size()), train_fraction,
                                     val_fraction, static_cast<std::uint64_t>(r));
    NodeSplit split;
    for (auto [from, to] : {std::pair{&s.train, &split.train}, std::pair{&s.val, &split.val},
                            std::pair{&s.test, &split.test}}) {
      std::vector<std::int32_t> ids;
      for (const std::int32_t p : from->host()) ids.push_back(labelled[static_cast<std::size_t>(p)]);
      *to = IndexArray32(ids);  // ascending: positions ascend and labelled is sorted
    }
    out.push_back(std::move(split));
  }
  return out;
}

std::vector<NodeSplit> read_linkx_splits(const std::filesystem::path& path, Index num_nodes) {
  require_file(path, "read_linkx_splits", "LINKX split file");
  const io::PyValue splits = io::read_npy_object(path);
  std::vector<NodeSplit> out;
  const char* keys[] = {"train", "valid", "test"};
  for (std::size_t s = 0; s < splits.size(); ++s) {
    const io::PyValue dict = splits[s];
    MOEGNN_CHECK_AS(IoError, "read_linkx_splits", dict.is(io::PyKind::Dict), path.string(),
                    ": split ", s, " is ", dict.describe(), " vs a dict {train, valid, test}");
    NodeSplit split;
    IndexArray32* parts[] = {&split.train, &split.val, &split.test};
    std::vector<int> owner(static_cast<std::size_t>(num_nodes), -1);
    for (int p = 0; p < 3; ++p) {
      const std::string where = path.string() + ": split " + std::to_string(s) + " " + keys[p];
      std::vector<std::int32_t> ids = ids_of(dict.at(keys[p]), where);
      for (const std::int32_t i : ids) {
        MOEGNN_CHECK_AS(IoError, "read_linkx_splits", i >= 0 && i < num_nodes, where, ": node id ",
                        i, " vs [0, ", num_nodes, ")");
        int& o = owner[static_cast<std::size_t>(i)];
        MOEGNN_CHECK_AS(IoError, "read_linkx_splits", o < 0, where, ": node ", i, " is already in ",
                        keys[o < 0 ? 0 : o], " vs disjoint parts");
        o = p;
      }
      std::sort(ids.begin(), ids.end());
      *parts[p] = IndexArray32(ids);
    }
    out.push_back(std::move(split));
  }
  return out;
}

LinkxDataset load_fb100(const std::filesystem::path& mat_file,
                        const std::filesystem::path& splits_file, const LinkxOptions& options) {
  require_file(mat_file, "load_fb100", "facebook100 .mat file");
  const std::string source = mat_file.string();
  const io::MatFile mat = io::read_mat(mat_file);
  const io::MatSparse& a = mat.at("A").sparse_matrix();
  const io::NpyArray& info_array = mat.at("local_info").numeric();
  const Index n = a.rows;
  MOEGNN_CHECK_AS(IoError, "load_fb100", a.cols == n, source, ": A is ", a.rows, " × ", a.cols,
                  " vs square");
  MOEGNN_CHECK_AS(IoError, "load_fb100",
                  info_array.ndim() == 2 && info_array.shape()[0] == n &&
                      info_array.shape()[1] >= 2,
                  source, ": local_info is ", info_array.shape_string(), " vs ", n,
                  " rows (one per node of A) × at least 2 columns");
  const Index cols = info_array.shape()[1];
  const std::vector<std::int64_t> info = integral_values(info_array, source + ":local_info");
  LinkxDataset out;
  // 1. Label: gender - 1, where gender 0 (missing) becomes -1.
  std::vector<std::int64_t> raw(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) raw[i] = info[static_cast<std::size_t>(i * cols + 1)] - 1;
  detail::set_linkx_labels(out, raw, source + ":local_info");
  // 2. Features: column 0, then columns 2.., each binarized, side by side.
  std::vector<std::vector<std::int32_t>> hot(static_cast<std::size_t>(n));
  Index width = 0;
  for (Index c = 0; c < cols; ++c) {
    if (c == 1) continue;
    std::vector<std::vector<std::int32_t>> part(static_cast<std::size_t>(n));
    const Index w = binarize(info, cols, c, n, part);
    for (Index i = 0; i < n; ++i)
      for (const std::int32_t j : part[i]) hot[i].push_back(static_cast<std::int32_t>(width + j));
    width += w;
  }
  out.data.features = Tensor::zeros(n, width);
  auto x = out.data.features.host();
  for (Index i = 0; i < n; ++i)
    for (const std::int32_t j : hot[i]) x(i, j) = 1.0f;
  // 3. Edges: the non-zeros of A (row -> column), as A.nonzero().
  std::vector<std::int64_t> src;
  std::vector<std::int64_t> dst;
  for (Index c = 0; c < a.cols; ++c)
    for (std::int64_t k = a.col_ptr[c]; k < a.col_ptr[c + 1]; ++k) {
      if (a.values[static_cast<std::size_t>(k)] == 0.0) continue;
      src.push_back(a.row_idx[static_cast<std::size_t>(k)]);
      dst.push_back(c);
    }
  out.data.graph = detail::build_graph(src, dst, n,
                                       options.as_published ? detail::EdgeConvention::AsStored
                                                            : detail::EdgeConvention::Undirected,
                                       source);
  out.data.name = "fb100-" + mat_file.stem().string();
  detail::attach_linkx_splits(out, splits_file, options);
  check(out.data);
  return out;
}

LinkxDataset load_linkx_mat(const std::filesystem::path& mat_file,
                            const std::filesystem::path& splits_file, const LinkxOptions& options) {
  require_file(mat_file, "load_linkx_mat", "LINKX .mat file");
  const std::string source = mat_file.string();
  const io::MatFile mat = io::read_mat(mat_file);
  LinkxDataset out;
  detail::set_linkx_labels(out, integral_values(mat.at("label").numeric(), source + ":label"),
                           source);
  const Index n = out.data.labels.size();
  if (const io::MatArray* num_nodes = mat.find("num_nodes"))
    MOEGNN_CHECK_AS(IoError, "load_linkx_mat", num_nodes->scalar() == static_cast<double>(n),
                    source, ": num_nodes is ", num_nodes->scalar(), " vs ", n, " labels");
  // Features: dense, or sparse densified.
  const io::MatArray& feat = mat.at("node_feat");
  if (feat.mat_class == io::MatClass::Sparse) {
    const io::MatSparse& s = feat.sparse;
    MOEGNN_CHECK_AS(IoError, "load_linkx_mat", s.rows == n, source, ": node_feat has ", s.rows,
                    " rows vs ", n, " nodes");
    // Densifying costs n × cols floats; bound it by what the sparse arrays store.
    const auto stored = 16 * s.row_idx.size() + 8 * (static_cast<std::size_t>(s.cols) + 1);
    const std::size_t limit = std::max<std::size_t>(std::size_t{256} << 20, 64 * stored);
    MOEGNN_CHECK_AS(IoError, "load_linkx_mat",
                    s.cols == 0 || static_cast<std::size_t>(n) <= limit / 4 / s.cols, source,
                    ": node_feat densifies to ", n, " × ", s.cols, " float32 vs at most ", limit,
                    " bytes for ", s.row_idx.size(), " stored entries; the file is corrupt");
    out.data.features = Tensor::zeros(n, s.cols);
    auto x = out.data.features.host();
    for (Index c = 0; c < s.cols; ++c)
      for (std::int64_t k = s.col_ptr[c]; k < s.col_ptr[c + 1]; ++k)
        x(s.row_idx[static_cast<std::size_t>(k)], c) +=
            static_cast<float>(s.values[static_cast<std::size_t>(k)]);
  } else {
    const io::NpyArray& f = feat.numeric();
    MOEGNN_CHECK_AS(IoError, "load_linkx_mat", f.ndim() == 2 && f.shape()[0] == n, source,
                    ": node_feat is ", f.shape_string(), " vs ", n, " rows");
    out.data.features = f.to_tensor();
  }
  // Edges: edge_index is 2 × E (source row, target row).
  const io::NpyArray& e = mat.at("edge_index").numeric();
  MOEGNN_CHECK_AS(IoError, "load_linkx_mat", e.ndim() == 2 && e.shape()[0] == 2, source,
                  ": edge_index is ", e.shape_string(), " vs 2 × E");
  const std::vector<std::int64_t> ids = integral_values(e, source + ":edge_index");
  const auto m = static_cast<std::size_t>(e.shape()[1]);
  const std::vector<std::int64_t> src(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(m));
  const std::vector<std::int64_t> dst(ids.begin() + static_cast<std::ptrdiff_t>(m), ids.end());
  out.data.graph = detail::build_graph(src, dst, n,
                                       options.as_published ? detail::EdgeConvention::AsStored
                                                            : detail::EdgeConvention::Undirected,
                                       source);
  out.data.name = mat_file.stem().string();
  detail::attach_linkx_splits(out, splits_file, options);
  check(out.data);
  return out;
}

LinkxDataset load_linkx(const std::filesystem::path& dir, const std::string& name,
                        const LinkxOptions& options) {
  const std::filesystem::path splits = dir / "splits" / (name + "-splits.npy");
  std::filesystem::path main_file;
  if (name.starts_with("fb100-") && name.size() > 6)
    main_file = dir / "facebook100" / (name.substr(6) + ".mat");
  else if (name == "pokec" || name == "genius")
    main_file = dir / (name + ".mat");
  else
    MOEGNN_CHECK(name == "twitch-gamer", "unknown LINKX dataset '", name,
                 "' vs fb100-<School>, twitch-gamer, pokec or genius");
  MOEGNN_CHECK_AS(IoError, "load_linkx", main_file.empty() || std::filesystem::exists(main_file),
                  main_file.string(), ": no such file vs present", kWhere, dir.string());
  MOEGNN_CHECK_AS(IoError, "load_linkx", !options.require_splits || std::filesystem::exists(splits),
                  splits.string(), ": no such file vs present", kWhere, dir.string());
  LinkxDataset out = name == "twitch-gamer" ? load_twitch_gamer(dir, splits, options)
                     : main_file.extension() == ".mat" && name.starts_with("fb100-")
                         ? load_fb100(main_file, splits, options)
                         : load_linkx_mat(main_file, splits, options);
  out.data.name = name;
  return out;
}

}  // namespace moegnn::datasets
