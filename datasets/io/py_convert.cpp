// SPDX-License-Identifier: Apache-2.0
// scipy.sparse / ndarray / adjacency-dict conversions. Sparse formats other than CSR go through one
// stable counting sort by row, so the result does not depend on the thread count or input size.
#include "datasets/io/py_convert.h"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"
#include "datasets/io/detail/byte_reader.h"

namespace moegnn::datasets::io {
namespace {

using graph::Csr;
using graph::EdgeIds;
using graph::NodeId;
using graph::NodeIds;

constexpr std::size_t kMinRange = std::size_t{1} << 22;
// Densifying may cost this much without question, beyond it 64 × what the file stores.
constexpr std::size_t kMinDenseBytes = std::size_t{256} << 20;
constexpr std::size_t kMaxDenseRatio = 64;

template <typename... Parts>
[[noreturn]] void fail(const char* function, const PyValue& v, const Parts&... parts) {
  ::moegnn::detail::throw_error<IoError>(function, v.source(), ": ", parts...);
}

// "csr", "csc", "coo", "lil" for scipy.sparse classes, or "".
std::string sparse_format(const PyValue& v) {
  if (!v.is(PyKind::Object) || !v.module().starts_with("scipy.sparse")) return "";
  const std::string& name = v.name();
  for (const char* suffix : {"_matrix", "_array"}) {
    const std::string s(suffix);
    if (name.size() == 3 + s.size() && name.ends_with(s)) {
      const std::string format = name.substr(0, 3);
      if (format == "csr" || format == "csc" || format == "coo" || format == "lil") return format;
    }
  }
  return "";
}

struct Shape {
  Index rows = 0;
  Index cols = 0;
};

Shape shape_of(const PyValue& state) {
  std::optional<PyValue> shape = state.find("_shape");
  if (!shape) shape = state.find("shape");
  if (!shape || !shape->is(PyKind::Tuple) || shape->size() != 2)
    fail("sparse_to_csr", state, "matrix state has no (rows, cols) _shape");
  const Shape s{(*shape)[0].as_int(), (*shape)[1].as_int()};
  if (s.rows < 0 || s.cols < 0 || s.rows >= std::numeric_limits<NodeId>::max() ||
      s.cols > std::numeric_limits<NodeId>::max())
    fail("sparse_to_csr", state, "shape ", s.rows, " × ", s.cols, " vs sizes in [0, 2^31 - 1)");
  return s;
}

// Builds Csr, reporting the structure checks of the Csr constructor as IoError on this file.
Csr make_csr(const PyValue& v, Shape s, std::vector<std::int64_t> row_ptr,
             std::vector<NodeId> col_idx, Tensor values) {
  try {
    return Csr(s.rows, s.cols, EdgeIds(row_ptr), NodeIds(col_idx), std::move(values));
  } catch (const InvalidArgument& e) {
    fail("sparse_to_csr", v, "inconsistent sparse matrix: ", e.what());
  }
}

std::vector<NodeId> checked_ids(const PyValue& v, const std::vector<std::int64_t>& ids, Index bound,
                                const char* what) {
  std::vector<NodeId> out(ids.size());
  for (std::size_t k = 0; k < ids.size(); ++k) {
    if (ids[k] < 0 || ids[k] >= bound)
      fail("sparse_to_csr", v, what, "[", k, "] = ", ids[k], " out of range vs [0, ", bound, ")");
    out[k] = static_cast<NodeId>(ids[k]);
  }
  return out;
}

Tensor values_of(const PyValue& v, const PyValue& data, std::size_t nnz) {
  const NpyArray array = data.ndarray();
  if (static_cast<std::size_t>(array.size()) != nnz)
    fail("sparse_to_csr", v, "data has ", array.size(), " values vs ", nnz, " indices");
  return array.size() == 0 ? Tensor::empty(0, 1) : array.to_tensor().reshape(array.size(), 1);
}

// A shape or id range read from the file costs an offset array of that size: bound it by what the
// file stores, so a few corrupt bytes cannot demand gigabytes.
void check_range_cost(const char* function, const PyValue& v, Index range, std::size_t stored,
                      const char* what) {
  const auto limit = static_cast<Index>(std::max<std::size_t>(kMinRange, 64 * (stored + 1)));
  if (range > limit)
    fail(function, v, what, " ", range, " vs at most ", limit, " for ", stored,
         " stored entries; the file is corrupt (or pass an explicit size)");
}

// Rows given per entry (coo, or csc after expanding the column pointer): stable counting sort.
Csr from_triplets(const PyValue& v, Shape s, const std::vector<NodeId>& rows,
                  const std::vector<NodeId>& cols, const Tensor& values) {
  check_range_cost("sparse_to_csr", v, s.rows, rows.size(), "row count");
  std::vector<std::int64_t> row_ptr(static_cast<std::size_t>(s.rows) + 1, 0);
  for (const NodeId r : rows) ++row_ptr[static_cast<std::size_t>(r) + 1];
  for (std::size_t r = 0; r + 1 < row_ptr.size(); ++r) row_ptr[r + 1] += row_ptr[r];
  std::vector<std::int64_t> next(row_ptr.begin(), row_ptr.end() - 1);
  std::vector<NodeId> col_idx(cols.size());
  Tensor sorted = Tensor::empty(static_cast<Index>(cols.size()), 1);
  for (std::size_t k = 0; k < cols.size(); ++k) {
    const auto slot = static_cast<std::size_t>(next[static_cast<std::size_t>(rows[k])]++);
    col_idx[slot] = cols[k];
    sorted.data()[slot] = values.data()[k];
  }
  return make_csr(v, s, std::move(row_ptr), std::move(col_idx), sorted);
}

// csc: the compressed axis is the column; expand it into one column id per entry.
Csr from_csc(const PyValue& v, Shape s, const PyValue& state) {
  const std::vector<std::int64_t> ptr = state.at("indptr").ndarray().to_int64();
  const std::vector<std::int64_t> idx = state.at("indices").ndarray().to_int64();
  if (ptr.size() != static_cast<std::size_t>(s.cols) + 1 || ptr.front() != 0 ||
      ptr.back() != static_cast<std::int64_t>(idx.size()))
    fail("sparse_to_csr", v, "csc indptr has ", ptr.size(), " entries ending at ", ptr.back(),
         " vs cols + 1 = ", s.cols + 1, " ending at nnz = ", idx.size());
  std::vector<NodeId> cols(idx.size());
  for (Index c = 0; c < s.cols; ++c) {
    const auto lo = ptr[static_cast<std::size_t>(c)], hi = ptr[static_cast<std::size_t>(c) + 1];
    if (lo > hi || hi > static_cast<std::int64_t>(idx.size()))  // lo >= 0: ptr starts at 0
      fail("sparse_to_csr", v, "csc indptr [", lo, ", ", hi, ") at column ", c,
           " vs a non-decreasing range within [0, ", idx.size(), "]");
    std::fill(cols.begin() + lo, cols.begin() + hi, static_cast<NodeId>(c));
  }
  const std::vector<NodeId> rows = checked_ids(v, idx, s.rows, "indices");
  return from_triplets(v, s, rows, cols, values_of(v, state.at("data"), idx.size()));
}

Csr from_coo(const PyValue& v, Shape s, const PyValue& state) {
  std::vector<std::int64_t> row, col;
  if (const auto coords = state.find("coords")) {  // scipy >= 1.13
    if (!coords->is(PyKind::Tuple) || coords->size() != 2)
      fail("sparse_to_csr", v, "coo coords are not (row, col)");
    row = (*coords)[0].ndarray().to_int64();
    col = (*coords)[1].ndarray().to_int64();
  } else {
    row = state.at("row").ndarray().to_int64();
    col = state.at("col").ndarray().to_int64();
  }
  if (row.size() != col.size())
    fail("sparse_to_csr", v, "coo row has ", row.size(), " ids vs col ", col.size());
  return from_triplets(v, s, checked_ids(v, row, s.rows, "row"), checked_ids(v, col, s.cols, "col"),
                       values_of(v, state.at("data"), row.size()));
}

// lil: per-row object arrays of column-id lists and value lists.
Csr from_lil(const PyValue& v, Shape s, const PyValue& state) {
  const PyValue rows = state.at("rows");
  const PyValue data = state.at("data");
  if (!rows.is_object_array() || !data.is_object_array() ||
      rows.size() != static_cast<std::size_t>(s.rows) || data.size() != rows.size())
    fail("sparse_to_csr", v, "lil rows/data are not object arrays of ", s.rows, " lists");
  std::vector<std::int64_t> row_ptr{0};
  std::vector<std::int64_t> ids;
  std::vector<float> values;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const PyValue ri = rows[r], di = data[r];
    if (ri.size() != di.size())
      fail("sparse_to_csr", v, "lil row ", r, " has ", ri.size(), " ids vs ", di.size(), " values");
    for (std::size_t k = 0; k < ri.size(); ++k) {
      ids.push_back(ri[k].as_int());
      values.push_back(static_cast<float>(di[k].as_float()));
    }
    row_ptr.push_back(static_cast<std::int64_t>(ids.size()));
  }
  const Index nnz = static_cast<Index>(values.size());
  return make_csr(v, s, std::move(row_ptr), checked_ids(v, ids, s.cols, "rows"),
                  Tensor::from_vector(nnz, 1, values));
}

}  // namespace

bool is_sparse_matrix(const PyValue& value) { return !sparse_format(value).empty(); }

graph::Csr sparse_to_csr(const PyValue& matrix) {
  const std::string format = sparse_format(matrix);
  if (format.empty())
    fail("sparse_to_csr", matrix, "value is ", matrix.describe(), " vs a scipy.sparse matrix");
  const PyValue state = matrix.state();
  if (!state.is(PyKind::Dict))
    fail("sparse_to_csr", matrix, "matrix state is ", state.describe(), " vs a dict");
  const Shape s = shape_of(state);
  if (format == "csc") return from_csc(matrix, s, state);
  if (format == "coo") return from_coo(matrix, s, state);
  if (format == "lil") return from_lil(matrix, s, state);
  std::vector<std::int64_t> ptr = state.at("indptr").ndarray().to_int64();
  const std::vector<std::int64_t> idx = state.at("indices").ndarray().to_int64();
  if (ptr.size() != static_cast<std::size_t>(s.rows) + 1)
    fail("sparse_to_csr", matrix, "indptr has ", ptr.size(), " entries vs rows + 1 = ", s.rows + 1);
  Tensor values = values_of(matrix, state.at("data"), idx.size());
  return make_csr(matrix, s, std::move(ptr), checked_ids(matrix, idx, s.cols, "indices"), values);
}

Tensor to_dense_tensor(const PyValue& value, std::size_t max_bytes) {
  if (value.is(PyKind::NdArray)) return value.ndarray().to_tensor();
  const Csr a = sparse_to_csr(value);
  // Bytes the file spent on the matrix: indices and values per entry, one pointer per row.
  const auto nnz = static_cast<std::size_t>(a.num_edges());
  const std::size_t stored = 8 * nnz + 8 * (static_cast<std::size_t>(a.num_rows()) + 1);
  const std::size_t limit =
      max_bytes != 0 ? max_bytes : std::max(kMinDenseBytes, kMaxDenseRatio * stored);
  std::uint64_t dense = 0;
  if (!detail::checked_mul(static_cast<std::uint64_t>(a.num_rows()),
                           static_cast<std::uint64_t>(a.num_cols()) * sizeof(float), dense) ||
      dense > limit)
    fail("to_dense_tensor", value, "dense form of the shape ", a.num_rows(), " × ", a.num_cols(),
         " float32 needs ", a.num_rows(), " × ", a.num_cols(), " × 4 bytes vs at most ", limit,
         " for ", nnz, " stored entries; the shape is corrupt, or pass a larger max_bytes");
  Tensor out = Tensor::zeros(a.num_rows(), a.num_cols());
  const auto ptr = a.row_ptr().host();
  const auto col = a.col_idx().host();
  const float* w = a.values().data();
  for (Index r = 0; r < a.num_rows(); ++r)
    for (auto k = ptr[static_cast<std::size_t>(r)]; k < ptr[static_cast<std::size_t>(r) + 1]; ++k)
      out.data()[r * a.num_cols() + col[static_cast<std::size_t>(k)]] += w[k];
  return out;
}

graph::Csr adjacency_dict_to_csr(const PyValue& dict, Index num_nodes) {
  if (!dict.is(PyKind::Dict))
    fail("adjacency_dict_to_csr", dict, "value is ", dict.describe(), " vs a dict");
  // 1. Ids and the node count.
  std::int64_t largest = -1;
  std::vector<std::pair<std::int64_t, std::vector<std::int64_t>>> lists(dict.size());
  for (std::size_t e = 0; e < dict.size(); ++e) {
    const PyValue list = dict.value(e);
    lists[e].first = dict.key(e).as_int();
    if (!list.is(PyKind::List) && !list.is(PyKind::Tuple) && !list.is(PyKind::Set))
      fail("adjacency_dict_to_csr", dict, "value of key ", lists[e].first, " is ", list.describe(),
           " vs a list");
    for (std::size_t k = 0; k < list.size(); ++k) lists[e].second.push_back(list[k].as_int());
    largest = std::max(largest, lists[e].first);
    for (const auto id : lists[e].second) largest = std::max(largest, id);
  }
  std::size_t stored = lists.size();
  for (const auto& entry : lists) stored += entry.second.size();
  const Index n = num_nodes >= 0 ? num_nodes : largest + 1;
  if (num_nodes < 0) check_range_cost("adjacency_dict_to_csr", dict, n, stored, "node count");
  if (n > std::numeric_limits<NodeId>::max())
    fail("adjacency_dict_to_csr", dict, "node count ", n, " vs at most 2^31 - 1");
  // 2. Range checks, then counting sort by key (entries of repeated keys concatenate in order).
  std::vector<std::int64_t> row_ptr(static_cast<std::size_t>(n) + 1, 0);
  for (const auto& [key, ids] : lists) {
    for (const std::int64_t id : ids)
      if (id < 0 || id >= n)
        fail("adjacency_dict_to_csr", dict, "neighbour ", id, " of node ", key, " vs [0, ", n, ")");
    if (key < 0 || key >= n)
      fail("adjacency_dict_to_csr", dict, "node id ", key, " vs [0, ", n, ")");
    row_ptr[static_cast<std::size_t>(key) + 1] += static_cast<std::int64_t>(ids.size());
  }
  for (std::size_t r = 0; r + 1 < row_ptr.size(); ++r) row_ptr[r + 1] += row_ptr[r];
  std::vector<std::int64_t> next(row_ptr.begin(), row_ptr.end() - 1);
  std::vector<NodeId> col_idx(static_cast<std::size_t>(row_ptr.back()));
  for (const auto& [key, ids] : lists)
    for (const std::int64_t id : ids)
      col_idx[static_cast<std::size_t>(next[static_cast<std::size_t>(key)]++)] =
          static_cast<NodeId>(id);
  return Csr(n, n, EdgeIds(row_ptr), NodeIds(col_idx));
}

}  // namespace moegnn::datasets::io
