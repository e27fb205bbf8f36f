// SPDX-License-Identifier: Apache-2.0
// MAT-file level: the 128-byte header, the top-level element loop, zlib inflation of miCOMPRESSED
// elements, and the checked accessors of MatArray/MatFile. The contents of each miMATRIX are read
// in mat_array.cpp.
#include "datasets/io/mat.h"

#include <algorithm>

#include <zlib.h>

#include "datasets/io/detail/inflate.h"
#include "datasets/io/detail/mat_reader.h"
#include "datasets/io/file.h"

namespace moegnn::datasets::io {
namespace {

using detail::ByteReader;

constexpr int kMaxDepth = 32;
constexpr std::size_t kHeaderBytes = 128;

// The size the first tag of inflated data declares: its 8 bytes plus payload and padding, or 0
// while fewer than 8 bytes are out (a small-format tag cannot start a compressed variable).
std::size_t declared_element_bytes(const std::string& out, std::size_t produced, bool big) {
  if (produced < 8) return 0;
  ByteReader tag(std::string_view(out.data(), 8), "", "read_mat");
  detail::mat_u32(tag, big, "tag type");
  const std::uint32_t size = detail::mat_u32(tag, big, "tag size");
  return std::size_t{8} + size + 7;
}

// The zlib stream in `in` (RFC 1950) inflated; bytes after its end are ignored, as zlib readers
// do. Output stops at the size declared by the element's own tag and at `max_bytes`.
std::string inflate_element(std::string_view in, std::size_t max_bytes, bool big,
                            const ByteReader& r, std::size_t pos) {
  detail::InflateStream stream;
  if (inflateInit(&stream.z) != Z_OK) r.fail_at_offset(pos, "zlib inflateInit failed");
  stream.live = true;
  std::string out(detail::initial_inflate_size(in.size(), 1 << 12, max_bytes), '\0');
  std::size_t produced = 0;
  std::size_t consumed = 0;
  std::size_t declared = 0;
  while (true) {
    const int ret = detail::inflate_step(stream, in, consumed, out, produced, max_bytes, [&] {
      r.fail_at_offset(pos, "compressed element inflates past ", max_bytes,
                       " bytes vs the limit (MatOptions::max_inflated_bytes)");
    });
    if (declared == 0 && (declared = declared_element_bytes(out, produced, big)) != 0) {
      if (declared > max_bytes)
        r.fail_at_offset(pos, "compressed element declares a variable of ", declared - 15,
                         " bytes vs the limit of ", max_bytes,
                         " inflated bytes; the file is corrupt, or raise "
                         "MatOptions::max_inflated_bytes");
      max_bytes = declared;
    }
    if (produced > max_bytes)
      r.fail_at_offset(pos, "compressed element inflates past the ", max_bytes,
                       " bytes its tag declares; the file is corrupt");
    if (ret == Z_STREAM_END) break;
    if (ret == Z_OK || (ret == Z_BUF_ERROR && stream.z.avail_out == 0)) continue;
    if (ret == Z_BUF_ERROR)
      r.fail_at_offset(pos, "compressed element ends after ", consumed,
                       " bytes before its zlib stream does; the file is truncated");
    r.fail_at_offset(pos, "corrupt zlib data in the compressed element at its byte ", consumed,
                     ": ", stream.z.msg != nullptr ? stream.z.msg : "zlib error");
  }
  out.resize(produced);
  return out;
}

// Header: 116 bytes of text, 8 bytes of subsystem offset, version 0x0100, endian indicator.
bool read_header(std::string_view bytes, MatFile& file, ByteReader& r) {
  if (bytes.size() >= 4 && std::count(bytes.begin(), bytes.begin() + 4, '\0') > 0)
    r.unsupported("a MAT-file of version 4 (a zero byte in the first 4) vs version 5 or 7; "
                  "re-save it with save -v7 or scipy.io.savemat");
  if (bytes.starts_with("MATLAB 7.3"))
    r.unsupported("a MAT-file of version 7.3 (HDF5) vs version 5 or 7; re-save it with save -v7");
  const std::string_view text = r.take(kHeaderBytes, "header");
  if (!text.starts_with("MATLAB"))
    r.fail_at_offset(0, "bad magic: the header text does not start with \"MATLAB\"");
  const std::string_view indicator = text.substr(126, 2);
  if (indicator != "IM" && indicator != "MI")
    r.fail_at_offset(126, "endian indicator '", indicator, "' vs \"IM\" or \"MI\"");
  const bool big = indicator == "MI";
  const auto lo = static_cast<unsigned char>(text[big ? 125 : 124]);
  const auto hi = static_cast<unsigned char>(text[big ? 124 : 125]);
  if (lo != 0x00 || hi != 0x01)
    r.fail_at_offset(124, "version bytes ", int(hi), ".", int(lo), " vs 1.0 (0x0100)");
  const std::size_t end = text.substr(0, 116).find_last_not_of(std::string_view(" \0", 2));
  file.header = std::string(text.substr(0, end == std::string_view::npos ? 0 : end + 1));
  file.big_endian = big;
  return big;
}

}  // namespace

std::string_view to_string(MatClass mat_class) {
  static constexpr std::string_view kNames[] = {"cell",   "struct", "object", "char",  "sparse",
                                                "double", "single", "int8",   "uint8", "int16",
                                                "uint16", "int32",  "uint32", "int64", "uint64"};
  const auto i = static_cast<int>(mat_class) - 1;
  return i >= 0 && i < 15 ? kNames[i] : std::string_view("unknown");
}

Index MatArray::numel() const {
  Index n = 1;
  for (const Index d : dims) n *= d;
  return n;
}

const NpyArray& MatArray::numeric() const {
  const bool numeric = mat_class >= MatClass::Double;
  MOEGNN_CHECK_AS(IoError, "MatArray::numeric", numeric, source, " is a ", to_string(mat_class),
                  " array vs a numeric or logical one");
  return real;
}

const MatSparse& MatArray::sparse_matrix() const {
  MOEGNN_CHECK_AS(IoError, "MatArray::sparse_matrix", mat_class == MatClass::Sparse, source,
                  " is a ", to_string(mat_class), " array vs a sparse one");
  return sparse;
}

const std::string& MatArray::text() const {
  static const std::string kEmpty;
  MOEGNN_CHECK_AS(IoError, "MatArray::text", mat_class == MatClass::Char && strings.size() <= 1,
                  source, " is a ", to_string(mat_class), " array of ", strings.size(),
                  " rows vs a char array of one row");
  return strings.empty() ? kEmpty : strings.front();
}

const MatArray& MatArray::field(std::string_view name, Index element) const {
  MOEGNN_CHECK_AS(IoError, "MatArray::field", mat_class == MatClass::Struct, source, " is a ",
                  to_string(mat_class), " array vs a struct");
  MOEGNN_CHECK_AS(IoError, "MatArray::field", element >= 0 && element < numel(), source,
                  ": element ", element, " vs [0, ", numel(), ")");
  const auto it = std::find(field_names.begin(), field_names.end(), name);
  MOEGNN_CHECK_AS(IoError, "MatArray::field", it != field_names.end(), source, ": no field '", name,
                  "' vs the ", field_names.size(), " fields of the struct");
  const auto f = static_cast<std::size_t>(it - field_names.begin());
  return elements[static_cast<std::size_t>(element) * field_names.size() + f];
}

double MatArray::scalar() const {
  const NpyArray& a = numeric();
  MOEGNN_CHECK_AS(IoError, "MatArray::scalar", a.size() == 1, source, " holds ", a.size(),
                  " elements vs 1");
  if (a.dtype() == NpyDType::Float64) return *static_cast<const double*>(a.data());
  if (a.dtype() == NpyDType::Float32) return *static_cast<const float*>(a.data());
  return static_cast<double>(a.to_int64()[0]);
}

const MatArray* MatFile::find(std::string_view name) const {
  for (auto it = variables.rbegin(); it != variables.rend(); ++it)
    if (it->name == name) return &*it;
  return nullptr;
}

const MatArray& MatFile::at(std::string_view name) const {
  const MatArray* v = find(name);
  if (v != nullptr) return *v;
  std::string names;
  for (const MatArray& a : variables) names += (names.empty() ? "'" : ", '") + a.name + "'";
  MOEGNN_FAIL(IoError, "read_mat", source, ": no variable '", name, "' vs ",
              names.empty() ? std::string("none") : names);
}

MatFile parse_mat(std::string_view bytes, std::string source, const MatOptions& options) {
  MatFile file;
  file.source = std::move(source);
  ByteReader r(bytes, file.source, "read_mat");
  const bool big = read_header(bytes, file, r);
  while (!r.at_end()) {
    const std::size_t pos = r.pos();
    const std::uint32_t type = detail::mat_u32(r, big, "element tag");
    const std::uint32_t size = detail::mat_u32(r, big, "element tag");
    if (size == 0) r.fail_at_offset(pos, "empty top-level element vs a variable");
    const std::string_view data = r.take(size, "element");
    if (type == detail::kMiMatrix) {
      ByteReader sub(data, file.source, "read_mat", pos + 8);
      file.variables.push_back(detail::read_mat_matrix(sub, big, file.source, true, kMaxDepth));
      r.take(std::min<std::size_t>((8 - size % 8) % 8, r.remaining()), "padding");
    } else if (type == detail::kMiCompressed) {
      // Offsets inside read "<file> (compressed element at byte P): byte <offset inflated>".
      const std::string inner_source =
          file.source + " (compressed element at byte " + std::to_string(pos) + ")";
      const std::size_t limit = options.max_inflated_bytes != 0
                                    ? options.max_inflated_bytes
                                    : default_inflate_limit(bytes.size());
      const std::string inflated = inflate_element(data, limit, big, r, pos);
      ByteReader inner(inflated, inner_source, "read_mat");
      const detail::MatElement e = detail::read_mat_element(inner, big, "compressed variable");
      if (e.type != detail::kMiMatrix)
        inner.fail_at_offset(0, "compressed element of type ", e.type, " vs miMATRIX (14)");
      ByteReader sub(e.data, inner_source, "read_mat", e.data_pos);
      MatArray a = detail::read_mat_matrix(sub, big, file.source, true, kMaxDepth);
      file.variables.push_back(std::move(a));
    } else {
      r.fail_at_offset(pos, "top-level element of type ", type,
                       " vs miMATRIX (14) or miCOMPRESSED (15)");
    }
  }
  return file;
}

MatFile read_mat(const std::filesystem::path& path, const MatOptions& options) {
  return parse_mat(read_file(path), path.string(), options);
}

}  // namespace moegnn::datasets::io
