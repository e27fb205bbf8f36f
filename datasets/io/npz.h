// SPDX-License-Identifier: Apache-2.0
// NumPy .npz reader: a ZIP archive (stored or deflate members, see zip_archive.h) whose members are
// .npy files. Keys follow numpy.load: the member name without its ".npy" suffix.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "datasets/io/npy_array.h"

namespace moegnn::datasets::io {

// Every member of the archive in `bytes`, by key. Member sources read "<source>:<member>". Throws
// IoError (archive or member corrupt, duplicate keys) or Unsupported (member dtype, ZIP feature).
std::map<std::string, NpyArray> parse_npz(std::string bytes, const std::string& source);

// Reads `path` (see parse_npz).
std::map<std::string, NpyArray> read_npz(const std::filesystem::path& path);

// Only the members named in `keys` (decompressing nothing else). Throws IoError naming the first
// key that is missing.
std::map<std::string, NpyArray> read_npz(const std::filesystem::path& path,
                                         const std::vector<std::string>& keys);

// The keys of the archive without decompressing any member. Throws IoError.
std::vector<std::string> list_npz(const std::filesystem::path& path);

}  // namespace moegnn::datasets::io
