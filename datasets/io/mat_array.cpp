// SPDX-License-Identifier: Apache-2.0
// MAT-file elements and miMATRIX contents: array flags, dimensions and name, then the data of each
// class (numeric with conversion to the class type, sparse, char, cell, struct). Every length is
// checked against the bytes present before anything is allocated.
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>

#include "datasets/io/detail/mat_reader.h"
#include "datasets/io/detail/npy_build.h"
#include "datasets/io/detail/utf8.h"

namespace moegnn::datasets::io::detail {
namespace {

// v as Dst when it is representable (integers) or in range (floating point to integer).
template <typename Dst, typename Src>
bool convert(Src v, Dst& out) {
  if constexpr (std::is_floating_point_v<Dst>) {
    out = static_cast<Dst>(v);
    return true;
  } else if constexpr (std::is_integral_v<Src>) {
    if (!std::in_range<Dst>(v)) return false;
    out = static_cast<Dst>(v);
    return true;
  } else {
    const double hi = std::ldexp(1.0, std::numeric_limits<Dst>::digits);
    const double lo = std::is_signed_v<Dst> ? -hi : 0.0;
    if (!(static_cast<double>(v) >= lo && static_cast<double>(v) < hi)) return false;
    out = static_cast<Dst>(v);
    return true;
  }
}

// The payload converted to the class type Dst, in MATLAB (column-major) order.
template <typename Dst>
std::string converted(const MatElement& e, bool big, const ByteReader& r, const char* what,
                      std::uint64_t count) {
  const std::size_t size = mi_size(e.type);
  if (size == 0 || e.data.size() / size != count || e.data.size() % size != 0)
    r.fail_at_offset(e.data_pos, what, ": ", e.data.size(), " bytes of type ", e.type, " vs ",
                     count, " elements");
  std::string out(count * sizeof(Dst), '\0');
  std::size_t k = 0;
  for_each_value(e, big, r, what, [&](auto v) {
    Dst d{};
    if (!convert(v, d))
      r.fail_at_offset(e.data_pos, what, ": element ", k, " (", +v,
                       ") does not fit the array's class");
    std::memcpy(out.data() + (k++) * sizeof(Dst), &d, sizeof(Dst));
  });
  return out;
}

struct ClassType {
  NpyDType dtype;
  std::uint32_t native;  // the data type that needs no conversion
};

ClassType class_type(MatClass c, bool logical) {
  switch (c) {
  case MatClass::Double:
    return {NpyDType::Float64, kMiDouble};
  case MatClass::Single:
    return {NpyDType::Float32, kMiSingle};
  case MatClass::Int8:
    return {NpyDType::Int8, kMiInt8};
  case MatClass::UInt8:
    return {logical ? NpyDType::Bool : NpyDType::UInt8, kMiUInt8};
  case MatClass::Int16:
    return {NpyDType::Int16, kMiInt16};
  case MatClass::UInt16:
    return {NpyDType::UInt16, kMiUInt16};
  case MatClass::Int32:
    return {NpyDType::Int32, kMiInt32};
  case MatClass::UInt32:
    return {NpyDType::UInt32, kMiUInt32};
  case MatClass::Int64:
    return {NpyDType::Int64, kMiInt64};
  default:
    return {NpyDType::UInt64, kMiUInt64};
  }
}

NpyArray numeric_part(const MatArray& a, const MatElement& e, bool big, const ByteReader& r,
                      const char* what) {
  const ClassType t = class_type(a.mat_class, a.logical);
  NpyDescr descr{t.dtype, element_size(t.dtype), false};
  const auto count = static_cast<std::uint64_t>(a.numel());
  if (e.type == t.native) {  // no conversion: byteswap and transpose only
    descr.big_endian = big;
    return build_array(descr, true, a.dims, e.data, a.source, r);
  }
  std::string data;
  switch (t.dtype) {
  case NpyDType::Float64:
    data = converted<double>(e, big, r, what, count);
    break;
  case NpyDType::Float32:
    data = converted<float>(e, big, r, what, count);
    break;
  case NpyDType::Int8:
    data = converted<std::int8_t>(e, big, r, what, count);
    break;
  case NpyDType::Int16:
    data = converted<std::int16_t>(e, big, r, what, count);
    break;
  case NpyDType::UInt16:
    data = converted<std::uint16_t>(e, big, r, what, count);
    break;
  case NpyDType::Int32:
    data = converted<std::int32_t>(e, big, r, what, count);
    break;
  case NpyDType::UInt32:
    data = converted<std::uint32_t>(e, big, r, what, count);
    break;
  case NpyDType::Int64:
    data = converted<std::int64_t>(e, big, r, what, count);
    break;
  case NpyDType::UInt64:
    data = converted<std::uint64_t>(e, big, r, what, count);
    break;
  default:
    data = converted<std::uint8_t>(e, big, r, what, count);  // UInt8 and Bool
  }
  return build_array(descr, true, a.dims, data, a.source, r);
}

// MATLAB char data may hold lone UTF-16 surrogates: they become U+FFFD.
void append_utf8_or_replacement(std::string& out, std::uint32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;  // not a scalar value
  append_utf8(out, cp);
}

// Char data: one code unit per element (column-major), rows decoded to UTF-8; UTF-16 surrogate
// pairs within a row combine, lone surrogates become U+FFFD. A one-row miUTF8 payload longer than
// the element count (multi-byte characters) is taken as UTF-8 text.
void read_char(MatArray& a, MatElement e, bool big, const ByteReader& r) {
  const Index numel = a.numel();
  const std::uint32_t stored = e.type;
  const Index rows = a.dims[0];
  const std::size_t unit = mi_size(e.type);
  if (unit == 1 && rows <= 1 && e.data.size() > static_cast<std::size_t>(numel)) {
    a.strings.emplace_back(e.data);
    return;
  }
  if (unit == 0 || unit == 8 || e.type == kMiSingle || e.data.size() % unit != 0 ||
      e.data.size() / unit != static_cast<std::size_t>(numel))
    r.fail_at_offset(e.data_pos, "char data: ", e.data.size(), " bytes of type ", e.type, " vs ",
                     numel, " characters of 1, 2 or 4 bytes");
  e.type = unit == 1 && stored == kMiUtf8 ? kMiUInt8
           : stored == kMiUtf16           ? kMiUInt16
           : stored == kMiUtf32           ? kMiUInt32
                                          : stored;
  std::vector<std::uint32_t> units;
  units.reserve(static_cast<std::size_t>(numel));
  for_each_value(e, big, r, "char data", [&](auto v) {
    units.push_back(static_cast<std::uint32_t>(static_cast<std::int64_t>(v)));
  });
  const Index cols = rows == 0 ? 0 : numel / rows;
  for (Index row = 0; row < rows; ++row) {
    std::string text;
    for (Index c = 0; c < cols; ++c) {
      std::uint32_t cp = units[static_cast<std::size_t>(c * rows + row)];
      if (unit == 1) cp &= 0xFF;  // int8 -> byte
      if (unit == 2 && cp >= 0xD800 && cp < 0xDC00 && c + 1 < cols) {
        const std::uint32_t lo = units[static_cast<std::size_t>((c + 1) * rows + row)];
        if (lo >= 0xDC00 && lo < 0xE000) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          ++c;
        }
      }
      append_utf8_or_replacement(text, cp);
    }
    a.strings.push_back(std::move(text));
  }
}

void read_sparse(MatArray& a, ByteReader& r, bool big, std::uint32_t nzmax) {
  if (a.dims.size() != 2) r.fail("sparse array has ", a.dims.size(), " dimensions vs 2");
  MatSparse& s = a.sparse;
  s.rows = a.dims[0];
  s.cols = a.dims[1];
  const MatElement ir = read_mat_element(r, big, "sparse row indices (ir)");
  const MatElement jc = read_mat_element(r, big, "sparse column pointers (jc)");
  std::vector<std::int64_t> rows = mat_ints(ir, big, r, "sparse row indices (ir)");
  s.col_ptr = mat_ints(jc, big, r, "sparse column pointers (jc)");
  if (static_cast<Index>(s.col_ptr.size()) != s.cols + 1)
    r.fail_at_offset(jc.data_pos, "jc has ", s.col_ptr.size(),
                     " entries vs columns + 1 = ", s.cols + 1);
  if (s.col_ptr[0] != 0) r.fail_at_offset(jc.data_pos, "jc[0] is ", s.col_ptr[0], " vs 0");
  for (Index c = 0; c < s.cols; ++c)
    if (s.col_ptr[c + 1] < s.col_ptr[c])
      r.fail_at_offset(jc.data_pos, "jc decreases at column ", c, ": ", s.col_ptr[c], " then ",
                       s.col_ptr[c + 1], " vs non-decreasing");
  const std::int64_t nnz = s.col_ptr.back();
  if (nnz > static_cast<std::int64_t>(rows.size()))
    r.fail_at_offset(ir.data_pos, "ir has ", rows.size(), " entries vs ", nnz,
                     " non-zeros (jc[last]); nzmax is ", nzmax);
  rows.resize(static_cast<std::size_t>(nnz));
  for (std::size_t k = 0; k < rows.size(); ++k)
    if (rows[k] < 0 || rows[k] >= s.rows)
      r.fail_at_offset(ir.data_pos, "row index ", rows[k], " at entry ", k, " vs [0, ", s.rows,
                       ")");
  s.row_idx = std::move(rows);
  const MatElement pr = read_mat_element(r, big, "sparse values (pr)");
  s.values = mat_doubles(pr, big, r, "sparse values (pr)");
  if (static_cast<std::int64_t>(s.values.size()) < nnz)
    r.fail_at_offset(pr.data_pos, "pr has ", s.values.size(), " values vs ", nnz, " non-zeros");
  s.values.resize(static_cast<std::size_t>(nnz));
  if (a.complex) {
    const MatElement pi = read_mat_element(r, big, "sparse imaginary values (pi)");
    s.imag = mat_doubles(pi, big, r, "sparse imaginary values (pi)");
    if (static_cast<std::int64_t>(s.imag.size()) < nnz)
      r.fail_at_offset(pi.data_pos, "pi has ", s.imag.size(), " values vs ", nnz, " non-zeros");
    s.imag.resize(static_cast<std::size_t>(nnz));
  }
}

// "(3)" or "{3}", built by appending (GCC 12 misreports operator+ on strings under -Wrestrict).
std::string bracketed(char open, std::uint64_t k, char close) {
  std::string out(1, open);
  out += std::to_string(k);
  out += close;
  return out;
}

// `count` nested miMATRIX elements (cell or struct contents), element k named a.source +
// suffix(k) in messages; an empty element is a 0 × 0 double.
template <typename Suffix>
void read_children(MatArray& a, ByteReader& r, bool big, std::uint64_t count, int depth,
                   Suffix&& suffix) {
  std::uint64_t min_bytes = 0;
  if (!checked_mul(count, 8, min_bytes) || min_bytes > r.remaining())
    r.fail(count, " nested arrays need at least ", count, " × 8 bytes vs ", r.remaining(), " left");
  a.elements.reserve(static_cast<std::size_t>(count));
  for (std::uint64_t k = 0; k < count; ++k) {
    const std::string source = a.source + suffix(k);
    const MatElement e = read_mat_element(r, big, "nested array");
    if (e.type != kMiMatrix)
      r.fail_at_offset(e.data_pos, "nested element of type ", e.type, " vs miMATRIX (14)");
    if (e.data.empty()) {
      MatArray empty;
      empty.dims = {0, 0};
      empty.source = source;
      a.elements.push_back(std::move(empty));
      continue;
    }
    ByteReader sub(e.data, r.source(), r.function(), r.file_pos() - r.pos() + e.data_pos);
    a.elements.push_back(read_mat_matrix(sub, big, source, false, depth - 1));
  }
}

void read_struct(MatArray& a, ByteReader& r, bool big, int depth) {
  const MatElement len_e = read_mat_element(r, big, "struct field name length");
  const std::vector<std::int64_t> len = mat_ints(len_e, big, r, "struct field name length");
  if (len.size() != 1 || len[0] < 1 || len[0] > 4096)
    r.fail_at_offset(len_e.data_pos, "struct field name length vs one value in [1, 4096]");
  const MatElement names = read_mat_element(r, big, "struct field names");
  const auto width = static_cast<std::size_t>(len[0]);
  if (names.data.size() % width != 0)
    r.fail_at_offset(names.data_pos, "struct field names hold ", names.data.size(),
                     " bytes vs a multiple of the name length ", width);
  for (std::size_t off = 0; off < names.data.size(); off += width) {
    const std::string_view field = names.data.substr(off, width);
    a.field_names.emplace_back(field.substr(0, std::min(field.find('\0'), field.size())));
  }
  const std::size_t fields = a.field_names.size();
  if (fields == 0) return;
  std::uint64_t count = 0;
  if (!checked_mul(static_cast<std::uint64_t>(a.numel()), fields, count))
    r.fail("struct of ", a.numel(), " elements × ", fields, " fields overflows");
  const bool one = a.numel() == 1;
  read_children(a, r, big, count, depth, [&](std::uint64_t k) {
    std::string suffix = one ? std::string() : bracketed('(', k / fields, ')');
    suffix += '.';
    suffix += a.field_names[k % fields];
    return suffix;
  });
}

}  // namespace

MatArray read_mat_matrix(ByteReader& r, bool big, const std::string& source, bool append_name,
                         int depth) {
  if (depth <= 0) r.fail("arrays nested more than 32 levels deep");
  MatArray a;
  // 1. Array flags: class and flag bits in the first word, nzmax (sparse) in the second.
  const MatElement flags = read_mat_element(r, big, "array flags");
  if (flags.type != kMiUInt32 || flags.data.size() != 8)
    r.fail_at_offset(flags.data_pos, "array flags: type ", flags.type, ", ", flags.data.size(),
                     " bytes vs miUINT32 (6), 8 bytes");
  const auto word = load<std::uint32_t>(flags.data.data(), big);
  const auto nzmax = load<std::uint32_t>(flags.data.data() + 4, big);
  const std::uint32_t class_id = word & 0xFF;
  a.complex = (word & 0x800) != 0;
  a.logical = (word & 0x200) != 0;
  if (class_id == 3 || class_id == 16 || class_id == 17)
    fail_at<Unsupported>(r.function(), r.source(), r.file_pos(), "array class ", class_id,
                         " (object, function handle or opaque) is not supported");
  if (class_id < 1 || class_id > 15)
    r.fail_at_offset(flags.data_pos, "array class ", class_id, " vs 1..15");
  a.mat_class = static_cast<MatClass>(class_id);
  // 2. Dimensions and name.
  const MatElement dims_e = read_mat_element(r, big, "dimensions");
  const std::vector<std::int64_t> dims = mat_ints(dims_e, big, r, "dimensions");
  if (dims.size() < 2 || dims.size() > 64)
    r.fail_at_offset(dims_e.data_pos, "array has ", dims.size(), " dimensions vs 2..64");
  std::uint64_t numel = 1;
  for (const std::int64_t d : dims) {
    if (d < 0 || !checked_mul(numel, static_cast<std::uint64_t>(d), numel) ||
        numel > (std::uint64_t{1} << 62))
      r.fail_at_offset(dims_e.data_pos, "dimension ", d, " vs >= 0 with a product below 2^62");
    a.dims.push_back(d);
  }
  const MatElement name = read_mat_element(r, big, "array name");
  if (name.type != kMiInt8 && name.type != kMiUInt8 && name.type != kMiUtf8)
    r.fail_at_offset(name.data_pos, "array name of type ", name.type, " vs miINT8 (1)");
  a.name = std::string(name.data);
  a.source = append_name ? source + ":" + a.name : source;
  // 3. Class data.
  switch (a.mat_class) {
  case MatClass::Cell:
    read_children(a, r, big, numel, depth, [](std::uint64_t k) { return bracketed('{', k, '}'); });
    break;
  case MatClass::Struct:
    read_struct(a, r, big, depth);
    break;
  case MatClass::Sparse:
    read_sparse(a, r, big, nzmax);
    break;
  case MatClass::Char:
    read_char(a, read_mat_element(r, big, "char data"), big, r);
    break;
  default:
    a.real = numeric_part(a, read_mat_element(r, big, "real part"), big, r, "real part");
    if (a.complex)
      a.imag =
          numeric_part(a, read_mat_element(r, big, "imaginary part"), big, r, "imaginary part");
  }
  return a;
}

}  // namespace moegnn::datasets::io::detail
