// SPDX-License-Identifier: Apache-2.0
// The part directory's array file (private to dist/): one 1-D or 2-D little-endian array per file.
// Layout: a 64-byte header (magic "MOEGNNA\0", format version, dtype, rows, cols, payload bytes,
// CRC-32 of the header with its CRC field zeroed followed by the payload), then the payload. Written
// atomically (datasets::AtomicFile: temporary + fsync + rename). Readers check every header field
// against the file and the expected shape, and the CRC, and throw IoError naming the file, what is
// wrong and got vs expected.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "core/index_array.h"
#include "core/tensor.h"

namespace moegnn::dist::detail {

inline constexpr std::uint32_t kArrayFileVersion = 1;
enum class ArrayDType : std::uint32_t { Float32 = 1, Int32 = 2, Int64 = 3 };

void write_array(const std::filesystem::path& path, const Tensor& t);
void write_array(const std::filesystem::path& path, std::span<const std::int32_t> values);
void write_array(const std::filesystem::path& path, std::span<const std::int64_t> values);

// `function` names the caller in messages. An expected size < 0 is not checked.
Tensor read_tensor(const char* function, const std::filesystem::path& path, Index rows, Index cols);
IndexArray32 read_int32(const char* function, const std::filesystem::path& path, Index size);
std::vector<std::int64_t> read_int64(const char* function, const std::filesystem::path& path,
                                     Index size);

}  // namespace moegnn::dist::detail
