// SPDX-License-Identifier: Apache-2.0
// libmatio's variables (matvar_t) converted to MatArray: numeric classes transposed from MATLAB's
// column-major order to C order (matio already converted the stored type to the class type),
// sparse matrices checked and kept as compressed columns, char rows decoded to UTF-8, cells and
// structs recursively. Also the data size a variable's info declares, checked before matio reads.
#include <algorithm>
#include <limits>

#include <matio.h>

#include "datasets/io/detail/mat_reader.h"
#include "datasets/io/detail/npy_build.h"
#include "datasets/io/detail/utf8.h"

namespace moegnn::datasets::io::detail {
namespace {

[[noreturn]] void fail(const std::string& source, const auto&... parts) {
  ::moegnn::detail::throw_error<IoError>("read_mat", source, ": ", parts...);
}

std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b) {
  std::uint64_t out = 0;
  return checked_mul(a, b, out) ? out : std::numeric_limits<std::uint64_t>::max();
}

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  return a > std::numeric_limits<std::uint64_t>::max() - b
             ? std::numeric_limits<std::uint64_t>::max()
             : a + b;
}

std::uint64_t numel_of(const matvar_t& v) {
  std::uint64_t n = 1;
  for (int k = 0; k < v.rank; ++k) n = saturating_mul(n, v.dims[k]);
  return v.rank == 0 ? 0 : n;
}

NpyDType class_dtype(MatClass c, bool logical) {
  switch (c) {
  case MatClass::Double:
    return NpyDType::Float64;
  case MatClass::Single:
    return NpyDType::Float32;
  case MatClass::Int8:
    return NpyDType::Int8;
  case MatClass::UInt8:
    return logical ? NpyDType::Bool : NpyDType::UInt8;
  case MatClass::Int16:
    return NpyDType::Int16;
  case MatClass::UInt16:
    return NpyDType::UInt16;
  case MatClass::Int32:
    return NpyDType::Int32;
  case MatClass::UInt32:
    return NpyDType::UInt32;
  case MatClass::Int64:
    return NpyDType::Int64;
  default:
    return NpyDType::UInt64;
  }
}

// `data` (matio's buffer of numel elements of the class type, column-major) in C order.
NpyArray numeric_part(const MatArray& a, const matvar_t& v, const void* data, const char* what) {
  const NpyDType dtype = class_dtype(a.mat_class, a.logical);
  const std::size_t size = element_size(dtype);
  const auto numel = static_cast<std::uint64_t>(a.numel());
  if (numel > 0 && (data == nullptr || static_cast<std::size_t>(v.data_size) != size))
    fail(a.source, what, ": matio read ", data == nullptr ? 0 : v.data_size,
         "-byte elements vs the ", size, " bytes of class ", to_string(a.mat_class));
  const ByteReader at({}, a.source, "read_mat");
  const std::string_view bytes(static_cast<const char*>(data), numel * size);
  return build_array(NpyDescr{dtype, size, false}, true, a.dims, bytes, a.source, at);
}

// `n` values of matio type `type` at `data` as doubles.
std::vector<double> to_doubles(const void* data, matio_types type, std::size_t n,
                               const std::string& source) {
  std::vector<double> out(n);
  auto copy = [&]<typename T>(T) {
    for (std::size_t k = 0; k < n; ++k) {
      T x;
      std::memcpy(&x, static_cast<const char*>(data) + k * sizeof(T), sizeof(T));
      out[k] = static_cast<double>(x);
    }
  };
  if (n == 0) return out;
  if (data == nullptr) fail(source, "sparse values: no data vs ", n, " values");
  switch (type) {
  case MAT_T_DOUBLE:
    copy(double{});
    break;
  case MAT_T_SINGLE:
    copy(float{});
    break;
  case MAT_T_INT8:
    copy(std::int8_t{});
    break;
  case MAT_T_UINT8:
    copy(std::uint8_t{});
    break;
  case MAT_T_INT16:
    copy(std::int16_t{});
    break;
  case MAT_T_UINT16:
    copy(std::uint16_t{});
    break;
  case MAT_T_INT32:
    copy(std::int32_t{});
    break;
  case MAT_T_UINT32:
    copy(std::uint32_t{});
    break;
  case MAT_T_INT64:
    copy(std::int64_t{});
    break;
  case MAT_T_UINT64:
    copy(std::uint64_t{});
    break;
  default:
    fail(source, "sparse values of matio type ", int(type), " vs a numeric type");
  }
  return out;
}

void convert_sparse(MatArray& a, const matvar_t& v) {
  if (a.dims.size() != 2) fail(a.source, "sparse array has ", a.dims.size(), " dimensions vs 2");
  const auto* sp = static_cast<const mat_sparse_t*>(v.data);
  if (sp == nullptr) fail(a.source, "matio read no sparse data");
  MatSparse& s = a.sparse;
  s.rows = a.dims[0];
  s.cols = a.dims[1];
  if (static_cast<Index>(sp->njc) != s.cols + 1 || (sp->njc > 0 && sp->jc == nullptr))
    fail(a.source, "jc has ", sp->njc, " entries vs columns + 1 = ", s.cols + 1);
  s.col_ptr.assign(sp->jc, sp->jc + sp->njc);
  if (s.col_ptr[0] != 0) fail(a.source, "jc[0] is ", s.col_ptr[0], " vs 0");
  for (Index c = 0; c < s.cols; ++c)
    if (s.col_ptr[c + 1] < s.col_ptr[c])
      fail(a.source, "jc decreases at column ", c, ": ", s.col_ptr[c], " then ", s.col_ptr[c + 1],
           " vs non-decreasing");
  const std::int64_t nnz = s.col_ptr.back();
  if (nnz > static_cast<std::int64_t>(sp->nir) || (nnz > 0 && sp->ir == nullptr))
    fail(a.source, "ir has ", sp->nir, " entries vs ", nnz, " non-zeros (jc[last])");
  s.row_idx.assign(sp->ir, sp->ir + nnz);
  for (std::size_t k = 0; k < s.row_idx.size(); ++k)
    if (s.row_idx[k] >= s.rows)
      fail(a.source, "row index ", s.row_idx[k], " at entry ", k, " vs [0, ", s.rows, ")");
  if (static_cast<std::int64_t>(sp->ndata) < nnz)
    fail(a.source, "pr has ", sp->ndata, " values vs ", nnz, " non-zeros");
  const auto n = static_cast<std::size_t>(nnz);
  if (a.logical) {
    s.values.assign(n, 1.0);  // MATLAB stores only the true entries
  } else if (a.complex) {
    const auto* z = static_cast<const mat_complex_split_t*>(sp->data);
    if (z == nullptr && n > 0) fail(a.source, "matio read no complex sparse values");
    s.values = to_doubles(z == nullptr ? nullptr : z->Re, v.data_type, n, a.source);
    s.imag = to_doubles(z == nullptr ? nullptr : z->Im, v.data_type, n, a.source);
  } else {
    s.values = to_doubles(sp->data, v.data_type, n, a.source);
  }
}

// Char data: UTF-8/uint8 bytes or UTF-16/uint16 units, column-major; rows decoded to UTF-8,
// surrogate pairs within a row combined, lone surrogates as U+FFFD. A one-row UTF-8 payload longer
// than the element count (multi-byte characters) is the text itself.
void convert_char(MatArray& a, const matvar_t& v) {
  const Index numel = a.numel();
  const Index rows = a.dims[0];
  const bool units16 = v.data_type == MAT_T_UINT16 || v.data_type == MAT_T_UTF16;
  const bool bytes8 = v.data_type == MAT_T_UINT8 || v.data_type == MAT_T_UTF8;
  const auto* p = static_cast<const char*>(v.data);
  if (numel == 0) {
    a.strings.assign(static_cast<std::size_t>(rows), std::string());
    return;
  }
  if (p == nullptr || !(units16 || bytes8) ||
      v.nbytes < static_cast<std::size_t>(numel) * (units16 ? 2 : 1))
    fail(a.source, "char data: matio read ", p == nullptr ? 0 : v.nbytes, " bytes of type ",
         int(v.data_type), " vs ", numel, " characters");
  if (bytes8 && rows <= 1 && v.nbytes > static_cast<std::size_t>(numel)) {
    a.strings.emplace_back(p, v.nbytes);
    return;
  }
  auto unit = [&](Index k) -> std::uint32_t {
    if (!units16) return static_cast<unsigned char>(p[k]);
    std::uint16_t u;
    std::memcpy(&u, p + 2 * k, 2);
    return u;
  };
  const Index cols = rows == 0 ? 0 : numel / rows;
  for (Index row = 0; row < rows; ++row) {
    std::string text;
    for (Index c = 0; c < cols; ++c) {
      std::uint32_t cp = unit(c * rows + row);
      if (cp >= 0xD800 && cp < 0xDC00 && c + 1 < cols) {
        const std::uint32_t lo = unit((c + 1) * rows + row);
        if (lo >= 0xDC00 && lo < 0xE000) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          ++c;
        }
      }
      if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
      append_utf8(text, cp);
    }
    a.strings.push_back(std::move(text));
  }
}

std::string bracketed(char open, std::uint64_t k, char close) {
  std::string out(1, open);
  out += std::to_string(k);
  out += close;
  return out;
}

// A cell's elements or a struct's fields (element e's field f at e · fields + f), recursively;
// an element matio left empty is a 0 × 0 double.
void convert_children(MatArray& a, const matvar_t& v, int depth) {
  const bool cell = a.mat_class == MatClass::Cell;
  const auto numel = static_cast<std::uint64_t>(a.numel());
  std::size_t fields = 1;
  if (!cell) {
    fields = Mat_VarGetNumberOfFields(const_cast<matvar_t*>(&v));
    char* const* names = Mat_VarGetStructFieldnames(&v);
    for (std::size_t f = 0; f < fields; ++f)
      a.field_names.emplace_back(names != nullptr && names[f] != nullptr ? names[f] : "");
  }
  const std::uint64_t count = saturating_mul(numel, fields);
  const auto* children = static_cast<matvar_t* const*>(v.data);
  if (count > 0 && (children == nullptr || v.nbytes / sizeof(void*) < count))
    fail(a.source, "matio read ", children == nullptr ? 0 : v.nbytes / sizeof(void*),
         " nested arrays vs ", count);
  a.elements.reserve(count);
  for (std::uint64_t k = 0; k < count; ++k) {
    std::string child = a.source;
    if (cell) {
      child += bracketed('{', k, '}');
    } else {
      if (numel != 1) child += bracketed('(', k / fields, ')');
      child += '.';
      child += a.field_names[k % fields];
    }
    if (children[k] == nullptr) {
      MatArray empty;
      empty.dims = {0, 0};
      empty.source = child;
      a.elements.push_back(std::move(empty));
    } else {
      a.elements.push_back(convert_matvar(*children[k], child, depth - 1));
    }
  }
}

}  // namespace

std::uint64_t declared_data_bytes(const matvar_t& v) {
  const std::uint64_t numel = numel_of(v);
  const std::uint64_t parts = v.isComplex ? 2 : 1;
  switch (v.class_type) {
  case MAT_C_CELL:
  case MAT_C_STRUCT: {
    auto* self = const_cast<matvar_t*>(&v);
    const std::uint64_t fields = v.class_type == MAT_C_CELL ? 1 : Mat_VarGetNumberOfFields(self);
    const std::uint64_t count = saturating_mul(numel, fields);
    std::uint64_t total = saturating_mul(count, sizeof(void*));
    const auto* children = static_cast<matvar_t* const*>(v.data);
    if (children != nullptr && v.nbytes / sizeof(void*) >= count)
      for (std::uint64_t k = 0; k < count; ++k)
        if (children[k] != nullptr)
          total = saturating_add(total, declared_data_bytes(*children[k]));
    return total;
  }
  case MAT_C_SPARSE: {
    const std::uint64_t cols = v.rank >= 2 ? v.dims[1] : 0;
    const std::uint64_t nzmax = v.nbytes;  // matio keeps nzmax here until the data is read
    return saturating_add(saturating_mul(nzmax, 4 + 8 * parts), saturating_mul(cols + 1, 4));
  }
  case MAT_C_CHAR:  // the units, and one std::string per row (rows × 0 holds no units)
    return saturating_add(saturating_mul(numel, 2),
                          saturating_mul(v.rank > 0 ? v.dims[0] : 0, sizeof(std::string)));
  default:
    return saturating_mul(
        saturating_mul(numel, std::max<std::size_t>(Mat_SizeOfClass(v.class_type), 1)), parts);
  }
}

MatArray convert_matvar(const matvar_t& v, const std::string& source, int depth) {
  if (depth <= 0) fail(source, "arrays nested more than ", kMaxMatDepth, " levels deep");
  MatArray a;
  a.name = v.name != nullptr ? v.name : "";
  a.source = source;
  a.complex = v.isComplex != 0;
  a.logical = v.isLogical != 0;
  if (v.class_type == MAT_C_EMPTY || v.rank == 0) {  // an empty cell element or v7.3 []
    a.dims = {0, 0};
    a.real = numeric_part(a, v, nullptr, "real part");
    return a;
  }
  if (v.class_type == MAT_C_OBJECT || v.class_type == MAT_C_FUNCTION ||
      v.class_type == MAT_C_OPAQUE)
    ::moegnn::detail::throw_error<Unsupported>("read_mat", source, ": array class ",
                                               int(v.class_type),
                                               " (object, function handle or opaque) is not "
                                               "supported");
  if (v.class_type < MAT_C_CELL || v.class_type > MAT_C_UINT64 || v.dims == nullptr)
    fail(source, "array class ", int(v.class_type), " vs 1..15");
  a.mat_class = static_cast<MatClass>(v.class_type);
  for (int k = 0; k < v.rank; ++k) a.dims.push_back(static_cast<Index>(v.dims[k]));
  const auto numel = static_cast<std::uint64_t>(a.numel());
  switch (a.mat_class) {
  case MatClass::Cell:
  case MatClass::Struct:
    convert_children(a, v, depth);
    break;
  case MatClass::Sparse:
    convert_sparse(a, v);
    break;
  case MatClass::Char:
    convert_char(a, v);
    break;
  default:
    if (a.complex) {
      const auto* z = static_cast<const mat_complex_split_t*>(v.data);
      if (numel > 0 && z == nullptr) fail(source, "matio read no complex data");
      a.real = numeric_part(a, v, z == nullptr ? nullptr : z->Re, "real part");
      a.imag = numeric_part(a, v, z == nullptr ? nullptr : z->Im, "imaginary part");
    } else {
      a.real = numeric_part(a, v, v.data, "real part");
    }
  }
  return a;
}

}  // namespace moegnn::datasets::io::detail
