// SPDX-License-Identifier: Apache-2.0
// The structural walk that runs before libmatio reads a MAT-file (see detail/mat_reader.h): the
// 128-byte header, the top-level elements, zlib inflation of compressed variables under a limit,
// and per array the flags, dimensions, name and class contents, in the forms matio reads. Nothing
// here decodes data; it only makes sure every size matio will trust is backed by bytes.
#include <algorithm>

#include <zlib.h>

#include "datasets/io/detail/inflate.h"
#include "datasets/io/detail/mat_reader.h"

namespace moegnn::datasets::io::detail {
namespace {

constexpr std::size_t kHeaderBytes = 128;
constexpr std::uint64_t kBytesPerArray = 1024;  // matio's matvar_t + ours, rounded up

std::uint32_t word_at(std::string_view data, std::size_t off, bool big) {
  std::uint32_t v = 0;
  std::memcpy(&v, data.data() + off, 4);
  return big ? __builtin_bswap32(v) : v;
}

struct Walk {
  bool big = false;
  std::uint64_t arrays = 0;
  std::uint64_t max_arrays = 0;
};

// "(3)" or "{3}" (appended: GCC 12 misreports operator+ on strings under -Wrestrict).
std::string bracketed(char open, std::uint64_t k, char close) {
  std::string out(1, open);
  out += std::to_string(k);
  out += close;
  return out;
}

void walk_array(Walk& w, ByteReader& r, const std::string& source, bool top, int depth);

// `count` nested miMATRIX elements, element k named source + suffix(k).
template <typename Suffix>
void walk_children(Walk& w, ByteReader& r, std::uint64_t count, int depth, Suffix&& suffix) {
  std::uint64_t min_bytes = 0;
  if (!checked_mul(count, 8, min_bytes) || min_bytes > r.remaining())
    r.fail(count, " nested arrays need at least ", count, " × 8 bytes vs ", r.remaining(), " left");
  for (std::uint64_t k = 0; k < count; ++k) {
    const MatElement e = read_mat_element(r, w.big, "nested array");
    if (e.type != kMiMatrix || e.small)
      r.fail_at_offset(e.data_pos, "nested element of type ", e.type, " vs miMATRIX (14)");
    if (e.data.empty()) continue;  // an empty array
    ByteReader sub(e.data, r.source(), r.function(), r.file_pos() - r.pos() + e.data_pos);
    const std::string child = suffix(k);
    walk_array(w, sub, child, false, depth - 1);
  }
}

void walk_numeric(ByteReader& r, bool big, std::uint64_t numel, const char* what) {
  const MatElement e = read_mat_element(r, big, what);
  const std::size_t size = mi_size(e.type);
  std::uint64_t need = 0;
  if (size == 0 || e.type >= kMiUtf8 || !checked_mul(numel, size, need) || need != e.data.size())
    r.fail_at_offset(e.data_pos, what, ": ", e.data.size(), " bytes of type ", e.type, " vs ",
                     numel, " elements × ", size == 0 ? 8 : size, " bytes");
}

void walk_char(ByteReader& r, bool big, std::uint64_t numel) {
  const MatElement e = read_mat_element(r, big, "char data");
  const bool bytes = e.type == kMiUInt8 || e.type == kMiUtf8;
  const bool units = e.type == kMiUInt16 || e.type == kMiUtf16;
  const std::uint64_t stored = e.data.size() / (units ? 2 : 1);
  const bool utf8 = e.type == kMiUtf8 && e.data.size() >= numel;  // multi-byte characters
  if (!(bytes || units) || (!utf8 && (stored != numel || e.data.size() % (units ? 2 : 1) != 0)))
    r.fail_at_offset(e.data_pos, "char data: ", e.data.size(), " bytes of type ", e.type, " vs ",
                     numel, " characters of miUTF8/miUINT8 or miUTF16/miUINT16");
}

void walk_sparse(ByteReader& r, bool big, const std::vector<std::int64_t>& dims, bool complex) {
  if (dims.size() != 2) r.fail("sparse array has ", dims.size(), " dimensions vs 2");
  for (const char* what : {"sparse row indices (ir)", "sparse column pointers (jc)"}) {
    const MatElement e = read_mat_element(r, big, what);
    if ((e.type != kMiInt32 && e.type != kMiUInt32) || e.data.size() % 4 != 0)
      r.fail_at_offset(e.data_pos, what, ": ", e.data.size(), " bytes of type ", e.type,
                       " vs miINT32 or miUINT32 values");
  }
  for (int part = 0; part < (complex ? 2 : 1); ++part) {
    const MatElement e = read_mat_element(r, big, part == 0 ? "sparse values" : "sparse imag");
    const std::size_t size = mi_size(e.type);
    if (size == 0 || e.type >= kMiUtf8 || e.data.size() % size != 0)
      r.fail_at_offset(e.data_pos, "sparse values: ", e.data.size(), " bytes of type ", e.type,
                       " vs a numeric data type");
  }
}

void walk_struct(Walk& w, ByteReader& r, const std::string& source, std::uint64_t numel,
                 int depth) {
  const MatElement len_e = read_mat_element(r, w.big, "struct field name length");
  const std::uint32_t len = len_e.data.size() == 4 ? word_at(len_e.data, 0, w.big) : 0;
  if (!len_e.small || len_e.type != kMiInt32 || len < 1 || len > 4096)
    r.fail_at_offset(len_e.data_pos, "struct field name length vs one miINT32 in [1, 4096] in a "
                                     "small element");
  const MatElement names = read_mat_element(r, w.big, "struct field names");
  if (names.type != kMiInt8 || names.data.size() % len != 0)
    r.fail_at_offset(names.data_pos, "struct field names: ", names.data.size(), " bytes of type ",
                     names.type, " vs miINT8, a multiple of the name length ", len);
  const std::size_t fields = names.data.size() / len;
  if (fields == 0) return;
  std::uint64_t count = 0;
  if (!checked_mul(numel, fields, count))
    r.fail("struct of ", numel, " elements × ", fields, " fields overflows");
  walk_children(w, r, count, depth, [&](std::uint64_t k) {
    std::string suffix = source;
    if (numel != 1) suffix += bracketed('(', k / fields, ')');
    suffix += '.';
    const std::string_view name = names.data.substr((k % fields) * len, len);
    suffix += name.substr(0, std::min(name.find('\0'), name.size()));
    return suffix;
  });
}

// One miMATRIX payload; `source` names the array ("<file>:<var>{2}.x"), or for a top-level array
// the file, to which ":<name>" is appended.
void walk_array(Walk& w, ByteReader& r, const std::string& source, bool top, int depth) {
  if (depth <= 0) r.fail("arrays nested more than ", kMaxMatDepth, " levels deep");
  if (++w.arrays > w.max_arrays)
    r.fail(w.arrays, " arrays vs the limit of ", w.max_arrays,
           " (MatOptions::max_inflated_bytes / ", kBytesPerArray, ")");
  const MatElement flags = read_mat_element(r, w.big, "array flags");
  if (flags.type != kMiUInt32 || flags.data.size() != 8)
    r.fail_at_offset(flags.data_pos, "array flags: type ", flags.type, ", ", flags.data.size(),
                     " bytes vs miUINT32 (6), 8 bytes");
  const std::uint32_t word = word_at(flags.data, 0, w.big);
  const std::uint32_t class_id = word & 0xFF;
  if (class_id == 3 || class_id == 16 || class_id == 17)
    fail_at<Unsupported>(r.function(), r.source(), r.file_pos(), "array class ", class_id,
                         " (object, function handle or opaque) is not supported");
  if (class_id < 1 || class_id > 15)
    r.fail_at_offset(flags.data_pos, "array class ", class_id, " vs 1..15");
  const MatElement dims_e = read_mat_element(r, w.big, "dimensions");
  if (dims_e.type != kMiInt32 || dims_e.data.size() % 4 != 0 || dims_e.data.size() < 8 ||
      dims_e.data.size() > 4 * 32)
    r.fail_at_offset(dims_e.data_pos, "dimensions: ", dims_e.data.size(), " bytes of type ",
                     dims_e.type, " vs 2..32 miINT32 values");
  std::vector<std::int64_t> dims;
  std::uint64_t numel = 1;
  for (std::size_t off = 0; off < dims_e.data.size(); off += 4) {
    const auto d = static_cast<std::int32_t>(word_at(dims_e.data, off, w.big));
    if (d < 0 || !checked_mul(numel, static_cast<std::uint64_t>(d), numel) ||
        numel > (std::uint64_t{1} << 62))
      r.fail_at_offset(dims_e.data_pos, "dimension ", d, " vs >= 0 with a product below 2^62");
    dims.push_back(d);
  }
  const MatElement name = read_mat_element(r, w.big, "array name");
  if (name.type != kMiInt8)
    r.fail_at_offset(name.data_pos, "array name of type ", name.type, " vs miINT8 (1)");
  std::string named = source;
  if (top) {
    named += ':';
    named +=
        std::string_view(name.data).substr(0, std::min(name.data.find('\0'), name.data.size()));
  }
  // The rest of the array, with messages naming it.
  ByteReader body(r.bytes().substr(r.pos()), named, r.function(), r.file_pos());
  switch (static_cast<MatClass>(class_id)) {
  case MatClass::Cell:
    walk_children(w, body, numel, depth,
                  [&](std::uint64_t k) { return named + bracketed('{', k, '}'); });
    break;
  case MatClass::Struct:
    walk_struct(w, body, named, numel, depth);
    break;
  case MatClass::Sparse:
    walk_sparse(body, w.big, dims, (word & 0x800) != 0);
    break;
  case MatClass::Char:
    walk_char(body, w.big, numel);
    break;
  default:
    walk_numeric(body, w.big, numel, "real part");
    if ((word & 0x800) != 0) walk_numeric(body, w.big, numel, "imaginary part");
  }
}

// The zlib stream in `in` inflated; output stops at the size its first tag declares and at
// `max_bytes`. Bytes after the stream's end are ignored, as matio does.
std::string inflate_element(std::string_view in, std::size_t max_bytes, bool big,
                            const ByteReader& r, std::size_t pos) {
  InflateStream stream;
  if (inflateInit(&stream.z) != Z_OK) r.fail_at_offset(pos, "zlib inflateInit failed");
  stream.live = true;
  std::string out(initial_inflate_size(in.size(), 1 << 12, max_bytes), '\0');
  std::size_t produced = 0;
  std::size_t consumed = 0;
  std::size_t declared = 0;
  while (true) {
    const int ret = inflate_step(stream, in, consumed, out, produced, max_bytes, [&] {
      r.fail_at_offset(pos, "compressed element inflates past ", max_bytes,
                       " bytes vs the limit (MatOptions::max_inflated_bytes)");
    });
    if (declared == 0 && produced >= 8) {
      declared = std::size_t{8} + word_at(out, 4, big) + 7;
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

// Header: 116 bytes of text, 8 bytes of subsystem offset, version (0x0100 or 0x0200 for HDF5),
// endian indicator.
void check_header(std::string_view bytes, MatLayout& layout, ByteReader& r) {
  if (bytes.size() >= 4 && std::count(bytes.begin(), bytes.begin() + 4, '\0') > 0)
    r.unsupported("a MAT-file of version 4 (a zero byte in the first 4) vs version 5, 7 or 7.3; "
                  "re-save it with save -v7 or scipy.io.savemat");
  const std::string_view text = r.take(kHeaderBytes, "header");
  if (!text.starts_with("MATLAB"))
    r.fail_at_offset(0, "bad magic: the header text does not start with \"MATLAB\"");
  const std::string_view indicator = text.substr(126, 2);
  if (indicator != "IM" && indicator != "MI")
    r.fail_at_offset(126, "endian indicator '", indicator, "' vs \"IM\" or \"MI\"");
  const bool big = indicator == "MI";
  const auto lo = static_cast<unsigned char>(text[big ? 125 : 124]);
  const auto hi = static_cast<unsigned char>(text[big ? 124 : 125]);
  if (lo != 0x00 || (hi != 0x01 && hi != 0x02))
    r.fail_at_offset(124, "version bytes ", int(hi), ".", int(lo),
                     " vs 1.0 (0x0100) or 2.0 (0x0200, HDF5)");
  const std::size_t end = text.substr(0, 116).find_last_not_of(std::string_view(" \0", 2));
  layout.header = std::string(text.substr(0, end == std::string_view::npos ? 0 : end + 1));
  layout.big_endian = big;
  layout.hdf5 = hi == 0x02;
}

}  // namespace

MatLayout check_mat_layout(std::string_view bytes, const std::string& source,
                           std::size_t inflate_limit) {
  MatLayout layout;
  ByteReader r(bytes, source, "read_mat");
  check_header(bytes, layout, r);
  if (layout.hdf5) return layout;
  Walk w{layout.big_endian, 0, std::max<std::uint64_t>(inflate_limit / kBytesPerArray, 1)};
  const bool big = layout.big_endian;
  while (!r.at_end()) {
    const std::size_t pos = r.pos();
    const std::uint32_t type = mat_u32(r, big, "element tag");
    const std::uint32_t size = mat_u32(r, big, "element tag");
    if (size == 0) r.fail_at_offset(pos, "empty top-level element vs a variable");
    const std::string_view data = r.take(size, "element");
    if (type == kMiMatrix) {
      ByteReader sub(data, source, "read_mat", pos + 8);
      walk_array(w, sub, source, true, kMaxMatDepth);
      r.take(std::min<std::size_t>((8 - size % 8) % 8, r.remaining()), "padding");
    } else if (type == kMiCompressed) {
      std::string inner_source = source;
      inner_source += " (compressed element at byte ";
      inner_source += std::to_string(pos);
      inner_source += ')';
      const std::string inflated = inflate_element(data, inflate_limit, big, r, pos);
      ByteReader inner(inflated, inner_source, "read_mat");
      const MatElement e = read_mat_element(inner, big, "compressed variable");
      if (e.type != kMiMatrix || e.small)
        inner.fail_at_offset(0, "compressed element of type ", e.type, " vs miMATRIX (14)");
      ByteReader sub(e.data, inner_source, "read_mat", e.data_pos);
      walk_array(w, sub, inner_source, true, kMaxMatDepth);
    } else {
      r.fail_at_offset(pos, "top-level element of type ", type,
                       " vs miMATRIX (14) or miCOMPRESSED (15)");
    }
    ++layout.variables;
  }
  return layout;
}

}  // namespace moegnn::datasets::io::detail
