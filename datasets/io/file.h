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

// The decompressed size the readers allow by default for `compressed_bytes` of input (gzip files,
// zip/.npz members, MAT compressed elements): max(256 MiB, 64 × compressed_bytes). Real dataset
// files compress 2-10:1, while a bomb of a few MB cannot ask for gigabytes. A limit option of 0
// means this value; callers raise it for trusted, unusually compressible data.
std::size_t default_inflate_limit(std::size_t compressed_bytes);

// Throws IoError naming `path` unless it is a regular file (or a link to one): "no such file",
// "is a directory" or "is not a regular file (a device, FIFO or socket)". `function` prefixes
// the message.
void require_regular_file(const std::filesystem::path& path, const char* function);

// The bytes of `path`. Throws IoError naming the file when it is not a regular file (see
// require_regular_file) or cannot be opened or read.
std::string read_file(const std::filesystem::path& path);

// True when `bytes` starts with the gzip magic 1f 8b.
bool is_gzip(std::string_view bytes);

// Decompresses a gzip stream (one or more concatenated members). `source` names the data in
// messages. The output never grows past min(max_bytes, 1032 × input + 64 KiB) (deflate's largest
// expansion; max_bytes 0: default_inflate_limit(input)), and starts at the last member's ISIZE
// trailer when that is plausible. Throws IoError
// on a bad header, corrupt data, a CRC/ISIZE mismatch or truncation, and when the output would
// exceed that bound.
std::string gunzip(std::string_view bytes, std::string_view source,
                   std::size_t max_bytes = 0);

// The bytes of `path`, gunzipped (up to `max_bytes`) when they carry the gzip magic. Throws
// IoError.
std::string read_maybe_gzip(const std::filesystem::path& path,
                            std::size_t max_bytes = 0);

}  // namespace moegnn::datasets::io
