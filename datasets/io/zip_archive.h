// SPDX-License-Identifier: Apache-2.0
// ZipArchive: the subset of ZIP that NumPy .npz files use, parsed by hand from the central
// directory: stored (method 0) and deflate (method 8) members, ZIP64 end records and extra fields
// for sizes and offsets over 4 GiB, CRC-32 checked on extraction. Encrypted, multi-disk and other
// compression methods throw Unsupported. Every offset and length is checked against the archive
// before use; a deflate member may not claim more than zlib's maximum expansion of its compressed
// size nor more than a caller's limit (by default io::default_inflate_limit of the archive size),
// and inflation stops at the declared size, so corrupt headers and deflate bombs cannot cause
// huge allocations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace moegnn::datasets::io {

struct ZipEntry {
  std::string name;
  std::uint16_t method = 0;  // 0 stored, 8 deflate
  std::uint16_t flags = 0;   // general-purpose bits; bit 0 = encrypted
  std::uint32_t crc32 = 0;
  std::uint64_t compressed_size = 0;
  std::uint64_t uncompressed_size = 0;
  std::uint64_t local_header_offset = 0;
};

class ZipArchive {
 public:
  // Parses the central directory of the archive in `bytes` (kept by the archive). `source` names
  // it in messages. Throws IoError (no end record, bad signatures, out-of-range offsets) or
  // Unsupported (multi-disk archives).
  ZipArchive(std::string bytes, std::string source);

  const std::vector<ZipEntry>& entries() const { return entries_; }
  const std::string& source() const { return source_; }

  // The uncompressed bytes of `entry` (one of entries()); at most `max_bytes` of them (0:
  // io::default_inflate_limit(archive size)), checked against the declared size before anything
  // is allocated. Throws IoError on a bad local header, a declared size over the limit, corrupt
  // deflate data, a size or CRC-32 mismatch; Unsupported on encryption or another method.
  std::string extract(const ZipEntry& entry, std::size_t max_bytes = 0) const;

 private:
  std::string bytes_;
  std::string source_;
  std::vector<ZipEntry> entries_;
};

}  // namespace moegnn::datasets::io
