// SPDX-License-Identifier: Apache-2.0
// .npy parsing: magic and version, the Python-literal header dict, and the data block (through
// detail::build_array, which the pickle reader shares).
#include "datasets/io/npy.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <optional>

#include "datasets/io/detail/byte_reader.h"
#include "datasets/io/detail/npy_build.h"
#include "datasets/io/file.h"
#include "datasets/io/pickle.h"

namespace moegnn::datasets::io {
namespace detail {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";

void skip_space(ByteReader& r) {
  while (!r.at_end()) {
    const char c = r.bytes()[r.pos()];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
    r.take(1, "header");
  }
}

char peek(ByteReader& r, const char* what) {
  r.require(1, what);
  return r.bytes()[r.pos()];
}

void expect(ByteReader& r, char c, const char* what) {
  skip_space(r);
  const char got = peek(r, what);
  if (got != c) r.fail("malformed .npy header: expected '", c, "' ", what, ", got '", got, "'");
  r.take(1, what);
}

// A Python string literal in single or double quotes (no escapes occur in .npy headers).
std::string_view parse_string(ByteReader& r) {
  skip_space(r);
  const char quote = peek(r, "string");
  if (quote != '\'' && quote != '"')
    r.fail("malformed .npy header: expected a quoted string, got '", quote, "'");
  r.take(1, "string");
  const std::size_t end = r.bytes().find(quote, r.pos());
  if (end == std::string_view::npos) r.fail("malformed .npy header: unterminated string");
  const std::string_view text = r.take(end - r.pos(), "string");
  r.take(1, "string");
  return text;
}

bool parse_bool(ByteReader& r) {
  skip_space(r);
  const std::string_view rest = r.bytes().substr(r.pos());
  if (rest.starts_with("True")) {
    r.take(4, "bool");
    return true;
  }
  if (rest.starts_with("False")) {
    r.take(5, "bool");
    return false;
  }
  r.fail("malformed .npy header: fortran_order is neither True nor False");
}

std::vector<Index> parse_shape(ByteReader& r) {
  expect(r, '(', "to open the shape");
  std::vector<Index> shape;
  while (true) {
    skip_space(r);
    if (peek(r, "shape") == ')') break;
    const std::string_view rest = r.bytes().substr(r.pos());
    Index d = 0;
    const auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), d);
    if (ec != std::errc() || d < 0) r.fail("malformed .npy header: bad dimension in the shape");
    r.take(static_cast<std::size_t>(ptr - rest.data()), "shape");
    if (!r.at_end() && peek(r, "shape") == 'L') r.take(1, "shape");  // Python 2 long suffix
    shape.push_back(d);
    if (shape.size() > 64) r.fail("malformed .npy header: more than 64 dimensions");
    skip_space(r);
    if (peek(r, "shape") == ',')
      r.take(1, "shape");
    else if (peek(r, "shape") != ')')
      r.fail("malformed .npy header: expected ',' or ')' in the shape");
  }
  r.take(1, "shape");
  return shape;
}

struct Header {
  std::optional<std::string> descr;
  std::optional<bool> fortran;
  std::optional<std::vector<Index>> shape;
};

Header parse_header(ByteReader& r) {
  Header h;
  expect(r, '{', "to open the header dict");
  while (true) {
    skip_space(r);
    if (peek(r, "header") == '}') break;
    const std::size_t key_pos = r.pos();
    const std::string key(parse_string(r));
    expect(r, ':', "after a key");
    skip_space(r);
    if (key == "descr") {
      if (peek(r, "descr") != '\'' && peek(r, "descr") != '"')
        r.unsupported("structured (record) dtypes are not supported; store plain arrays");
      h.descr = std::string(parse_string(r));
    } else if (key == "fortran_order") {
      h.fortran = parse_bool(r);
    } else if (key == "shape") {
      h.shape = parse_shape(r);
    } else {
      r.fail_at_offset(key_pos, "malformed .npy header: unexpected key '", key,
                       "' vs descr, fortran_order, shape");
    }
    skip_space(r);
    if (peek(r, "header") == ',')
      r.take(1, "header");
    else if (peek(r, "header") != '}')
      r.fail("malformed .npy header: expected ',' or '}'");
  }
  r.take(1, "header");
  if (!h.descr || !h.fortran || !h.shape)
    r.fail("malformed .npy header: descr, fortran_order and shape are all required");
  return h;
}

void byteswap_units(char* data, std::size_t bytes, std::size_t unit) {
  for (std::size_t i = 0; i + unit <= bytes; i += unit) std::reverse(data + i, data + i + unit);
}

// Fortran (column-major) -> C (row-major) order for any rank, by walking the C index odometer.
void fortran_to_c(const char* src, char* dst, const std::vector<Index>& shape, std::size_t item,
                  Index count) {
  // No element: nothing to move, and a zero axis beside huge ones must not reach the stride
  // products below (they are bounded by the element count only when every axis is non-zero).
  if (count == 0) return;
  const std::size_t nd = shape.size();
  std::vector<Index> f_stride(nd, 1);
  for (std::size_t k = 1; k < nd; ++k) f_stride[k] = f_stride[k - 1] * shape[k - 1];
  std::vector<Index> index(nd, 0);
  Index f_offset = 0;
  for (Index c = 0; c < count; ++c) {
    std::memcpy(dst + static_cast<std::size_t>(c) * item,
                src + static_cast<std::size_t>(f_offset) * item, item);
    for (std::size_t k = nd; k-- > 0;) {  // increment the last axis fastest
      if (++index[k] < shape[k]) {
        f_offset += f_stride[k];
        break;
      }
      f_offset -= (shape[k] - 1) * f_stride[k];
      index[k] = 0;
    }
  }
}

}  // namespace

NpyDescr parse_descr(std::string_view descr, const ByteReader& at) {
  if (descr.size() < 2) at.fail("malformed dtype '", descr, "'");
  const char order = descr[0];
  const char kind = descr[1];
  if (order != '<' && order != '>' && order != '|' && order != '=')
    at.fail("malformed dtype '", descr, "': byte order '", order, "' vs one of < > | =");
  std::size_t size = 0;
  const auto [ptr, ec] = std::from_chars(descr.data() + 2, descr.data() + descr.size(), size);
  if (std::string_view("biufU").find(kind) == std::string_view::npos || ec != std::errc() ||
      ptr != descr.data() + descr.size() || size == 0)
    at.unsupported("dtype '", descr, "' is not supported vs bool, (u)int8-64, float32/64, unicode");
  NpyDescr d;
  d.big_endian = order == '>';
  d.item_size = size;
  bool ok = false;
  if (kind == 'b') {
    ok = size == 1;
    d.dtype = NpyDType::Bool;
  } else if (kind == 'i' || kind == 'u') {
    constexpr NpyDType kSigned[] = {NpyDType::Int8, NpyDType::Int16, NpyDType::Int32,
                                    NpyDType::Int64};
    constexpr NpyDType kUnsigned[] = {NpyDType::UInt8, NpyDType::UInt16, NpyDType::UInt32,
                                      NpyDType::UInt64};
    const int log2 = size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : size == 8 ? 3 : -1;
    ok = log2 >= 0;
    if (ok) d.dtype = kind == 'i' ? kSigned[log2] : kUnsigned[log2];
  } else if (kind == 'f') {
    ok = size == 4 || size == 8;
    d.dtype = size == 4 ? NpyDType::Float32 : NpyDType::Float64;
  } else if (kind == 'U') {
    ok = size <= (std::size_t{1} << 20);  // NumPy's own limit is far below this
    d.dtype = NpyDType::Unicode;
    d.item_size = size * 4;
  }
  if (!ok)
    at.unsupported("dtype '", descr, "' is not supported vs bool, (u)int8-64, float32/64, unicode");
  return d;
}

NpyArray build_array(const NpyDescr& descr, bool fortran_order, std::vector<Index> shape,
                     std::string_view data, std::string source, const ByteReader& at) {
  // 1. Element count, overflow-checked, must match the bytes exactly.
  std::uint64_t count = 1;
  for (const Index d : shape) {
    if (d < 0 || !checked_mul(count, static_cast<std::uint64_t>(d), count))
      at.fail("shape overflows: dimension ", d, " vs a product that fits 64 bits");
  }
  std::uint64_t bytes = 0;
  if (!checked_mul(count, descr.item_size, bytes) || bytes != data.size())
    at.fail("array data holds ", data.size(), " bytes vs ", count, " elements × ", descr.item_size,
            " bytes; the file is truncated or its header is wrong");
  // 2. Copy into aligned storage, reordering as needed.
  auto storage = Storage::allocate(std::max<std::size_t>(data.size(), 1), Device::Cpu);
  char* dst = static_cast<char*>(storage->data());
  const bool transpose = fortran_order && shape.size() > 1;
  if (transpose)
    fortran_to_c(data.data(), dst, shape, descr.item_size, static_cast<Index>(count));
  else if (!data.empty())
    std::memcpy(dst, data.data(), data.size());
  const std::size_t unit = descr.dtype == NpyDType::Unicode ? 4 : descr.item_size;
  if (descr.big_endian && unit > 1) byteswap_units(dst, data.size(), unit);
  if (descr.dtype == NpyDType::Bool)
    for (std::size_t i = 0; i < data.size(); ++i) dst[i] = dst[i] != 0 ? 1 : 0;
  return NpyArray(descr.dtype, std::move(shape), std::move(storage), std::move(source),
                  descr.item_size);
}

// The .npy preamble: magic, version (1.0, 2.0 or 3.0) and header length (2 bytes in v1, 4 in
// v2/v3). Leaves `r` after the header and returns a reader over the header dict whose offsets are
// the file's.
ByteReader read_preamble(ByteReader& r, const std::string& source, const char* function) {
  const std::string_view magic = r.take(std::min(r.size(), kMagic.size()), "magic");
  if (magic != kMagic) r.fail_at_offset(0, "bad magic: not a .npy file (expected \\x93NUMPY)");
  const std::uint8_t major = r.u8("version");
  const std::uint8_t minor = r.u8("version");
  if (major < 1 || major > 3 || minor != 0)
    r.unsupported("format version ", int(major), ".", int(minor), " vs 1.0, 2.0 or 3.0");
  const std::uint64_t header_len =
      major == 1 ? r.le<std::uint16_t>("header length") : r.le<std::uint32_t>("header length");
  const std::size_t header_start = r.pos();
  return ByteReader(r.take(header_len, "header"), source, function, header_start);
}

}  // namespace detail

NpyArray parse_npy(std::string_view bytes, std::string source) {
  detail::ByteReader r(bytes, source, "parse_npy");
  // 1. Magic, version and header length; 2. the header dict.
  detail::ByteReader h = detail::read_preamble(r, source, "parse_npy");
  const detail::Header parsed = detail::parse_header(h);
  const detail::NpyDescr descr = detail::parse_descr(*parsed.descr, h);
  // 3. The data: everything after the header.
  return detail::build_array(descr, *parsed.fortran, *parsed.shape, bytes.substr(r.pos()), source,
                             r);
}

NpyArray read_npy(const std::filesystem::path& path) {
  return parse_npy(read_file(path), path.string());
}

PyValue parse_npy_object(std::string_view bytes, std::string source) {
  detail::ByteReader r(bytes, source, "parse_npy_object");
  detail::ByteReader h = detail::read_preamble(r, source, "parse_npy_object");
  const detail::Header parsed = detail::parse_header(h);
  if (*parsed.descr != "|O" && *parsed.descr != "O")
    h.fail_at_offset(0, "dtype '", *parsed.descr,
                     "' vs '|O' (an object array); read numeric "
                     "arrays with read_npy");
  const std::size_t start = r.pos();
  PyValue value =
      unpickle(bytes.substr(start), source + " (pickle at byte " + std::to_string(start) + ")");
  if (!value.is(PyKind::NdArray) || !value.is_object_array() ||
      value.array_shape() != *parsed.shape)
    r.fail("the pickle holds ", value.describe(), " vs an object array of the header's shape");
  return value;
}

PyValue read_npy_object(const std::filesystem::path& path) {
  return parse_npy_object(read_file(path), path.string());
}

}  // namespace moegnn::datasets::io
