// SPDX-License-Identifier: Apache-2.0
// Private: the on-disk header of graph/io.h, the array layout rule, and the CRC-32 (zlib's, computed
// over fixed 8 MiB pieces in parallel and joined with crc32_combine, so the value is the plain
// CRC-32 of the bytes on any thread count).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "graph/types.h"

namespace moegnn::graph::detail {

inline constexpr char kCsrMagic[8] = {'M', 'O', 'E', 'G', 'N', 'N', 'G', '\0'};
inline constexpr std::uint64_t kFlagValues = 1;  // an nnz × 1 float32 values array follows col_idx
inline constexpr std::uint64_t kKnownFlags = kFlagValues;
inline constexpr std::uint64_t kArrayAlignment = 64;

struct FileHeader {
  char magic[8];
  std::uint32_t version;
  std::uint32_t header_bytes;  // sizeof(FileHeader)
  std::int64_t num_rows;
  std::int64_t num_cols;
  std::int64_t nnz;
  std::uint64_t flags;
  std::uint64_t row_ptr_offset;
  std::uint64_t col_idx_offset;
  std::uint64_t values_offset;  // 0 without kFlagValues
  std::uint64_t file_bytes;
  std::uint32_t crc32;  // of the whole file with this field zeroed
  std::uint32_t reserved;
  std::uint8_t padding[40];
};
static_assert(sizeof(FileHeader) == 128, "the header is 128 bytes on disk");
// Byte offset of FileHeader::crc32 within the header.
inline constexpr std::size_t kCrcOffset = 80;

inline std::uint64_t align_up(std::uint64_t x) {
  return (x + kArrayAlignment - 1) / kArrayAlignment * kArrayAlignment;
}

// The header save_csr writes for this shape (crc32 left 0).
FileHeader make_header(Index num_rows, Index num_cols, EdgeId nnz, bool has_values);

// CRC-32 of `bytes` bytes, continuing from `crc` (0 to start).
std::uint32_t crc32_of(std::uint32_t crc, const void* data, std::size_t bytes);

// CRC-32 of a complete file image held in memory, with its crc32 field treated as zero.
std::uint32_t file_crc(const std::uint8_t* file, std::size_t bytes);

// Empty when the header fits a file of file_bytes bytes; otherwise what is wrong (got vs expected).
// Checks version, sizes, flags, offsets (aligned, ordered, inside the file) and the length; not the
// magic or the CRC.
std::string layout_error(const FileHeader& h, std::uint64_t file_bytes);

}  // namespace moegnn::graph::detail
