// SPDX-License-Identifier: Apache-2.0
// The moegnn binary graph file: a Csr (with optional edge values) in one little-endian file that
// loads without parsing. Layout: a 128-byte header (magic "MOEGNNG\0", format version, num_rows,
// num_cols, nnz, flags, the byte offsets of row_ptr / col_idx / values, the file length and a CRC-32
// over the whole file with the CRC field zeroed), then the three arrays, each starting on a 64-byte
// boundary. LoadMode::Mmap maps the file and the Csr's arrays view the mapping (no copy; pages load
// on first touch; unmapped when the last array using it is released).
#pragma once

#include <cstdint>
#include <filesystem>

#include "graph/csr.h"

namespace moegnn::graph {

enum class LoadMode { Mmap, Read };

inline constexpr std::uint32_t kCsrFileVersion = 1;

// Writes g atomically: a temporary file in the same directory is written, fsynced and renamed over
// `path`, so readers see the old file or the complete new one. A graph on another device is copied
// to the CPU first. Throws IoError (naming the file and the failing call) when writing fails.
void save_csr(const Csr& g, const std::filesystem::path& path);

// Reads a file written by save_csr. Every header field is checked against the file (magic, version,
// sizes against the file length, offsets aligned and in range), the CRC when verify_checksum, and the
// structure as Validate::Full does. Throws IoError naming the file and what is wrong (got vs
// expected) on any failure, including an unreadable file.
Csr load_csr(const std::filesystem::path& path, LoadMode mode = LoadMode::Mmap,
             bool verify_checksum = true);

}  // namespace moegnn::graph
