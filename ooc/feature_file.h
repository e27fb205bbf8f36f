// SPDX-License-Identifier: Apache-2.0
// The on-disk feature table an out-of-core run reads: a float32 row-major matrix inside a NumPy
// .npy file ('<f4', C order, 2-D; what datasets::write_powerlaw writes) or the "features" section
// of a moegnn binary dataset cache (datasets/binary_cache.h). Only the header is read; the file's
// length is checked against the header so a truncated table is named before any training.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/types.h"

namespace moegnn::ooc {

struct FeatureFile {
  std::filesystem::path path;
  Index rows = 0;
  Index cols = 0;
  std::uint64_t data_offset = 0;  // byte offset of row 0
  std::uint64_t file_bytes = 0;
  std::int64_t mtime_ns = 0;  // identity of the file (with its size and inode)
  std::uint64_t inode = 0;
  std::string format;  // "npy" or "moegnn-cache"

  std::uint64_t row_bytes() const { return static_cast<std::uint64_t>(cols) * 4; }
  std::uint64_t row_offset(Index row) const {
    return data_offset + static_cast<std::uint64_t>(row) * row_bytes();
  }
};

// Reads and validates the header of `path`. Throws IoError naming the file for a missing file,
// an unknown format, a header that is not float32 C-order 2-D, or a file shorter than the header
// says ("truncated": got vs expected bytes), and Unsupported for other dtypes.
FeatureFile open_feature_file(const std::filesystem::path& path);

}  // namespace moegnn::ooc
