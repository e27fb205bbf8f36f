// SPDX-License-Identifier: Apache-2.0
// ZIP central-directory parsing and member extraction (APPNOTE.TXT 6.3: sections 4.3.7 local
// header, 4.3.12 central header, 4.3.14-4.3.16 ZIP64 and end records, 4.5.3 ZIP64 extra field).
#include "datasets/io/zip_archive.h"

#include <algorithm>

#include <zlib.h>

#include "datasets/io/detail/byte_reader.h"
#include "datasets/io/file.h"

namespace moegnn::datasets::io {
namespace {

constexpr std::uint32_t kLocalSig = 0x04034b50;
constexpr std::uint32_t kCentralSig = 0x02014b50;
constexpr std::uint32_t kEndSig = 0x06054b50;
constexpr std::uint32_t kEnd64Sig = 0x06064b50;
constexpr std::uint32_t kLocator64Sig = 0x07064b50;
constexpr std::size_t kEndSize = 22;
constexpr std::size_t kCentralSize = 46;
constexpr std::size_t kLocalSize = 30;
// Deflate cannot expand data more than about 1032:1; anything claiming more is corrupt.
constexpr std::uint64_t kMaxDeflateRatio = 1032;

struct Directory {
  std::uint64_t entries = 0;
  std::uint64_t size = 0;
  std::uint64_t offset = 0;
};

// The end-of-central-directory record: the last "PK\5\6" within the final 64 KiB + 22 bytes.
std::size_t find_end_record(detail::ByteReader& r) {
  const std::string_view b = r.bytes();
  if (b.size() >= kEndSize) {
    const std::size_t lowest = b.size() >= kEndSize + 0xFFFF ? b.size() - kEndSize - 0xFFFF : 0;
    for (std::size_t pos = b.size() - kEndSize + 1; pos-- > lowest;) {
      if (b.compare(pos, 4, "PK\x05\x06") == 0) return pos;
    }
  }
  r.fail_at_offset(0, "bad magic: no ZIP end-of-central-directory record; not a zip/.npz file");
}

// ZIP64 end record, located through the locator that sits right before the classic end record.
void read_zip64_end(detail::ByteReader& r, std::size_t end_pos, Directory& dir) {
  if (end_pos < 20)
    r.fail_at_offset(end_pos, "ZIP64 sizes are flagged but there is no ZIP64 locator");
  r.seek(end_pos - 20, "ZIP64 locator");
  if (r.le<std::uint32_t>("ZIP64 locator") != kLocator64Sig)
    r.fail_at_offset(end_pos - 20,
                     "ZIP64 sizes are flagged but the ZIP64 locator signature is missing");
  r.le<std::uint32_t>("ZIP64 locator disk");
  const auto record = r.le<std::uint64_t>("ZIP64 end offset");
  if (r.le<std::uint32_t>("ZIP64 disk count") > 1)
    r.unsupported("multi-disk ZIP archives are not supported");
  r.seek(record, "ZIP64 end record");
  if (r.le<std::uint32_t>("ZIP64 end record") != kEnd64Sig)
    r.fail_at_offset(static_cast<std::size_t>(record),
                     "bad ZIP64 end-of-central-directory signature");
  r.take(8 + 2 + 2 + 4 + 4, "ZIP64 end record");  // record size, versions, disk numbers
  r.le<std::uint64_t>("ZIP64 entries on this disk");
  dir.entries = r.le<std::uint64_t>("ZIP64 entry count");
  dir.size = r.le<std::uint64_t>("ZIP64 directory size");
  dir.offset = r.le<std::uint64_t>("ZIP64 directory offset");
}

Directory read_end(detail::ByteReader& r) {
  const std::size_t end_pos = find_end_record(r);
  r.seek(end_pos + 4, "end record");
  const auto disk = r.le<std::uint16_t>("disk number");
  const auto dir_disk = r.le<std::uint16_t>("directory disk");
  r.le<std::uint16_t>("entries on this disk");
  Directory dir;
  dir.entries = r.le<std::uint16_t>("entry count");
  dir.size = r.le<std::uint32_t>("directory size");
  dir.offset = r.le<std::uint32_t>("directory offset");
  if (disk != 0 || dir_disk != 0) r.unsupported("multi-disk ZIP archives are not supported");
  if (dir.entries == 0xFFFF || dir.size == 0xFFFFFFFF || dir.offset == 0xFFFFFFFF)
    read_zip64_end(r, end_pos, dir);
  if (dir.offset > r.size() || dir.size > r.size() - dir.offset)
    r.fail_at_offset(end_pos, "central directory [", dir.offset, ", +", dir.size,
                     ") lies outside the ", r.size(), "-byte archive");
  if (dir.entries > dir.size / kCentralSize)
    r.fail_at_offset(end_pos, "the end record claims ", dir.entries, " entries vs at most ",
                     dir.size / kCentralSize, " that fit in the central directory");
  return dir;
}

// Replaces the 0xFFFFFFFF placeholders of one entry with the values of its ZIP64 extra field.
void apply_zip64_extra(detail::ByteReader& r, std::string_view extra, ZipEntry& e, bool big_usize,
                       bool big_csize, bool big_offset) {
  detail::ByteReader x(extra, r.source(), r.function(), r.file_pos() - extra.size());
  while (x.remaining() >= 4) {
    const auto id = x.le<std::uint16_t>("extra field id");
    const auto len = x.le<std::uint16_t>("extra field size");
    const std::string_view body = x.take(len, "extra field");
    if (id != 0x0001) continue;
    detail::ByteReader z(body, r.source(), r.function(), x.file_pos() - len);
    if (big_usize) e.uncompressed_size = z.le<std::uint64_t>("ZIP64 uncompressed size");
    if (big_csize) e.compressed_size = z.le<std::uint64_t>("ZIP64 compressed size");
    if (big_offset) e.local_header_offset = z.le<std::uint64_t>("ZIP64 header offset");
    return;
  }
  if (big_usize || big_csize || big_offset)
    r.fail("entry '", e.name, "' has 32-bit size placeholders but no ZIP64 extra field");
}

ZipEntry read_central_entry(detail::ByteReader& r) {
  const std::size_t start = r.pos();
  if (r.le<std::uint32_t>("central header") != kCentralSig)
    r.fail_at_offset(start, "bad central directory header signature");
  ZipEntry e;
  r.take(4, "central header");  // versions made by / needed
  e.flags = r.le<std::uint16_t>("flags");
  e.method = r.le<std::uint16_t>("method");
  r.take(4, "central header");  // time, date
  e.crc32 = r.le<std::uint32_t>("crc32");
  e.compressed_size = r.le<std::uint32_t>("compressed size");
  e.uncompressed_size = r.le<std::uint32_t>("uncompressed size");
  const auto name_len = r.le<std::uint16_t>("name length");
  const auto extra_len = r.le<std::uint16_t>("extra length");
  const auto comment_len = r.le<std::uint16_t>("comment length");
  r.take(2 + 2 + 4, "central header");  // disk start, internal and external attributes
  e.local_header_offset = r.le<std::uint32_t>("local header offset");
  e.name = std::string(r.take(name_len, "entry name"));
  const std::string_view extra = r.take(extra_len, "extra field");
  apply_zip64_extra(r, extra, e, e.uncompressed_size == 0xFFFFFFFF, e.compressed_size == 0xFFFFFFFF,
                    e.local_header_offset == 0xFFFFFFFF);
  r.take(comment_len, "entry comment");
  return e;
}

// Inflates `in` into exactly `declared` bytes. The output grows by doubling from about 4× the
// input, so memory follows the data actually produced rather than a (possibly corrupt) declared
// size.
std::string inflate_raw(const detail::ByteReader& r, std::string_view in, std::size_t declared) {
  z_stream z{};
  if (inflateInit2(&z, -15) != Z_OK) r.fail("zlib inflateInit2 failed");
  std::string out(std::min(declared, std::max<std::size_t>(in.size() * 4, 1 << 16)), '\0');
  std::size_t consumed = 0;
  std::size_t produced = 0;
  int ret = Z_OK;
  while (ret == Z_OK) {
    if (produced == out.size() && out.size() < declared)
      out.resize(std::min(declared, 2 * out.size()));
    const std::size_t in_chunk = std::min<std::size_t>(in.size() - consumed, 1u << 30);
    const std::size_t out_chunk = std::min<std::size_t>(out.size() - produced, 1u << 30);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + consumed));
    z.avail_in = static_cast<uInt>(in_chunk);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    z.avail_out = static_cast<uInt>(out_chunk);
    ret = inflate(&z, Z_NO_FLUSH);
    consumed += in_chunk - z.avail_in;
    produced += out_chunk - z.avail_out;
    const bool progress = in_chunk - z.avail_in > 0 || out_chunk - z.avail_out > 0;
    if (ret == Z_BUF_ERROR && (progress || (produced == out.size() && out.size() < declared)))
      ret = Z_OK;
  }
  const char* message = z.msg;
  inflateEnd(&z);
  if (ret != Z_STREAM_END) {
    if (ret == Z_BUF_ERROR && produced == declared)
      r.fail("deflate data expands beyond the declared ", declared, " bytes");
    if (ret == Z_BUF_ERROR)
      r.fail("deflate data ends early (", produced, " of ", declared, " bytes)");
    r.fail("corrupt deflate data: ", message != nullptr ? message : "zlib error");
  }
  if (produced != declared)
    r.fail("deflate data gives ", produced, " bytes vs the declared ", declared);
  return out;
}

}  // namespace

ZipArchive::ZipArchive(std::string bytes, std::string source)
    : bytes_(std::move(bytes)),
      source_(std::move(source)) {
  detail::ByteReader r(bytes_, source_, "ZipArchive");
  const Directory dir = read_end(r);
  r.seek(dir.offset, "central directory");
  detail::ByteReader central(r.take(dir.size, "central directory"), source_, "ZipArchive",
                             static_cast<std::size_t>(dir.offset));
  entries_.reserve(static_cast<std::size_t>(dir.entries));
  for (std::uint64_t i = 0; i < dir.entries; ++i) entries_.push_back(read_central_entry(central));
}

std::string ZipArchive::extract(const ZipEntry& e, std::size_t max_bytes) const {
  detail::ByteReader r(bytes_, source_, "ZipArchive::extract");
  // 1. The local header repeats the name; its extra field may differ, so skip by its own lengths.
  r.seek(e.local_header_offset, "local header");
  const std::size_t header = r.pos();
  r.require(kLocalSize, "local header");
  if (r.le<std::uint32_t>("local header") != kLocalSig)
    r.fail_at_offset(header, "bad local header signature for entry '", e.name, "'");
  if ((e.flags & 1) != 0) r.unsupported("entry '", e.name, "' is encrypted");
  if (e.method != 0 && e.method != 8)
    r.unsupported("entry '", e.name, "' uses compression method ", e.method,
                  " vs 0 (stored) or 8 (deflate)");
  r.take(kLocalSize - 4 - 4, "local header");
  const auto name_len = r.le<std::uint16_t>("name length");
  const auto extra_len = r.le<std::uint16_t>("extra length");
  r.take(std::uint64_t{name_len} + extra_len, "local header name and extra field");
  const std::size_t data_pos = r.pos();
  const std::string_view packed = r.take(e.compressed_size, "member data");
  // 2. Decompress into a buffer of the declared size, bounded by what the input can expand to.
  detail::ByteReader at(bytes_, source_, "ZipArchive::extract", 0);
  at.seek(data_pos, "member data");
  if (e.method == 0 && e.uncompressed_size != e.compressed_size)
    at.fail("stored entry '", e.name, "' has sizes ", e.compressed_size, " vs ",
            e.uncompressed_size);
  if (e.method == 8 && e.uncompressed_size > e.compressed_size * kMaxDeflateRatio + 1024)
    at.fail("entry '", e.name, "' claims ", e.uncompressed_size, " bytes from ", e.compressed_size,
            " compressed vs deflate's maximum ratio of ", kMaxDeflateRatio);
  const std::size_t limit = max_bytes != 0 ? max_bytes : default_inflate_limit(bytes_.size());
  if (e.uncompressed_size > limit)
    at.fail("entry '", e.name, "' declares ", e.uncompressed_size,
            " uncompressed bytes vs the limit of ", limit, " for a ", bytes_.size(),
            "-byte archive; the archive is corrupt, or raise NpzOptions::max_member_bytes");
  std::string out;
  if (e.method == 0) {
    out.assign(packed);
  } else {
    out = inflate_raw(at, packed, static_cast<std::size_t>(e.uncompressed_size));
  }
  // 3. CRC-32 over the whole member (crc32_z takes 64-bit lengths).
  const auto crc = crc32_z(0L, reinterpret_cast<const Bytef*>(out.data()), out.size());
  if (crc != e.crc32)
    at.fail("CRC-32 of entry '", e.name, "' is ", crc, " vs ", e.crc32,
            " recorded; the data is corrupt");
  return out;
}

}  // namespace moegnn::datasets::io
