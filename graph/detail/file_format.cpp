// SPDX-License-Identifier: Apache-2.0
// Header construction, layout validation and the parallel CRC-32 of graph/detail/file_format.h.
#include "graph/detail/file_format.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "core/error.h"
#include "core/parallel.h"

namespace moegnn::graph::detail {
namespace {
constexpr std::size_t kCrcPiece = std::size_t{8} << 20;
}  // namespace

static_assert(offsetof(FileHeader, crc32) == kCrcOffset, "kCrcOffset matches the struct");

FileHeader make_header(Index num_rows, Index num_cols, EdgeId nnz, bool has_values) {
  FileHeader h{};
  std::memcpy(h.magic, kCsrMagic, sizeof(kCsrMagic));
  h.version = 1;
  h.header_bytes = sizeof(FileHeader);
  h.num_rows = num_rows;
  h.num_cols = num_cols;
  h.nnz = nnz;
  h.flags = has_values ? kFlagValues : 0;
  h.row_ptr_offset = sizeof(FileHeader);
  const auto nnz_bytes = static_cast<std::uint64_t>(nnz) * 4;
  h.col_idx_offset = align_up(h.row_ptr_offset + static_cast<std::uint64_t>(num_rows + 1) * 8);
  h.values_offset = has_values ? align_up(h.col_idx_offset + nnz_bytes) : 0;
  h.file_bytes = (has_values ? h.values_offset : h.col_idx_offset) + nnz_bytes;
  return h;
}

std::uint32_t crc32_of(std::uint32_t crc, const void* data, std::size_t bytes) {
  const auto* p = static_cast<const Bytef*>(data);
  const std::size_t pieces = (bytes + kCrcPiece - 1) / kCrcPiece;
  if (pieces <= 1) return static_cast<std::uint32_t>(crc32_z(crc, p, bytes));
  std::vector<uLong> part(pieces);
  parallel_for(0, static_cast<Index>(pieces), [&](Index i) {
    const std::size_t lo = static_cast<std::size_t>(i) * kCrcPiece;
    part[i] = crc32_z(0, p + lo, std::min(kCrcPiece, bytes - lo));
  }, 1);
  uLong total = crc;
  for (std::size_t i = 0; i < pieces; ++i) {
    const std::size_t len = std::min(kCrcPiece, bytes - i * kCrcPiece);
    total = crc32_combine(total, part[i], static_cast<z_off_t>(len));
  }
  return static_cast<std::uint32_t>(total);
}

std::uint32_t file_crc(const std::uint8_t* file, std::size_t bytes) {
  FileHeader h;
  std::memcpy(&h, file, sizeof(h));
  h.crc32 = 0;
  const std::uint32_t head = crc32_of(0, &h, sizeof(h));
  return crc32_of(head, file + sizeof(h), bytes - sizeof(h));
}

std::string layout_error(const FileHeader& h, std::uint64_t file_bytes) {
  using ::moegnn::detail::concat;
  if (h.version != 1)
    return concat("format version ", h.version, " vs 1",
                  h.version > 1 ? "; written by a newer moegnn, upgrade to read it" : "");
  if (h.header_bytes != sizeof(FileHeader))
    return concat("header size ", h.header_bytes, " vs ", sizeof(FileHeader));
  if (h.file_bytes != file_bytes)
    return concat("file is ", file_bytes, " bytes vs ", h.file_bytes,
                  " in its header (truncated or extended)");
  if ((h.flags & ~kKnownFlags) != 0) return concat("unknown flags ", h.flags, " vs a subset of ", kKnownFlags);
  const std::int64_t max_cols = std::numeric_limits<NodeId>::max();
  if (h.num_rows < 0 || h.num_cols < 0 || h.num_cols > max_cols || h.nnz < 0)
    return concat("shape ", h.num_rows, " × ", h.num_cols, " with ", h.nnz,
                  " edges vs non-negative sizes and num_cols <= ", max_cols);
  // Each array must lie inside the file; sizes are compared by division so nothing overflows.
  const bool has_values = (h.flags & kFlagValues) != 0;
  const auto fits = [&](std::uint64_t offset, std::uint64_t count, std::uint64_t width) {
    return offset % kArrayAlignment == 0 && offset >= sizeof(FileHeader) && offset <= file_bytes &&
           count <= (file_bytes - offset) / width;
  };
  const auto rows = static_cast<std::uint64_t>(h.num_rows);
  const auto nnz = static_cast<std::uint64_t>(h.nnz);
  if (!fits(h.row_ptr_offset, rows + 1, 8))
    return concat("row_ptr at byte ", h.row_ptr_offset, " with ", rows + 1,
                  " offsets vs a 64-byte aligned range inside the ", file_bytes, "-byte file");
  if (!fits(h.col_idx_offset, nnz, 4) || h.col_idx_offset < h.row_ptr_offset + (rows + 1) * 8)
    return concat("col_idx at byte ", h.col_idx_offset, " with ", nnz,
                  " ids vs an aligned range after row_ptr inside the ", file_bytes, "-byte file");
  if (has_values && (!fits(h.values_offset, nnz, 4) || h.values_offset < h.col_idx_offset + nnz * 4))
    return concat("values at byte ", h.values_offset, " with ", nnz,
                  " floats vs an aligned range after col_idx inside the ", file_bytes, "-byte file");
  if (!has_values && h.values_offset != 0)
    return concat("values offset ", h.values_offset, " vs 0 for a file without values");
  return {};
}

}  // namespace moegnn::graph::detail
