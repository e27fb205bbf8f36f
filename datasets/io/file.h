// SPDX-License-Identifier: Apache-2.0
// Whole-file input for the format readers: read a file into memory, and undo gzip compression
// (detected by the 1f 8b magic, not by the file name), in memory or straight from disk. Dataset
// files here are at most a few hundred MB, so the binary readers parse from one buffer; the CSV
// reader streams instead (datasets/io/csv.h).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace moegnn::datasets::io {

// The bytes of `path`. Throws IoError naming the file when it cannot be opened or read.
std::string read_file(const std::filesystem::path& path);

// True when `bytes` starts with the gzip magic 1f 8b.
bool is_gzip(std::string_view bytes);

// Decompresses a gzip stream (one or more concatenated members). `source` names the data in
// messages. Throws IoError on a bad header, corrupt data, a CRC/length mismatch or truncation, and
// when the output would exceed `max_bytes`.
std::string gunzip(std::string_view bytes, std::string_view source,
                   std::size_t max_bytes = std::size_t{1} << 40);

// The bytes of `path`, gunzipped when they carry the gzip magic. Throws IoError.
std::string read_maybe_gzip(const std::filesystem::path& path);

}  // namespace moegnn::datasets::io
