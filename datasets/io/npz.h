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

struct NpzOptions {
  // Limit on the uncompressed size of one member, checked against the size the archive declares
  // before anything is inflated; 0: io::default_inflate_limit(archive size), i.e.
  // max(256 MiB, 64 × the archive). Peak memory is the archive plus one member plus its array.
  std::size_t max_member_bytes = 0;
};

// Every member of the archive in `bytes`, by key. Member sources read "<source>:<member>". Throws
// IoError (archive or member corrupt, a member over the limit, duplicate keys) or Unsupported
// (member dtype, ZIP feature).
std::map<std::string, NpyArray> parse_npz(std::string bytes, const std::string& source,
                                          const NpzOptions& options = {});

// Reads `path` (see parse_npz).
std::map<std::string, NpyArray> read_npz(const std::filesystem::path& path,
                                         const NpzOptions& options = {});

// Only the members named in `keys` (decompressing nothing else). Throws IoError naming the first
// key that is missing.
std::map<std::string, NpyArray> read_npz(const std::filesystem::path& path,
                                         const std::vector<std::string>& keys,
                                         const NpzOptions& options = {});

// The keys of the archive without decompressing any member. Throws IoError.
std::vector<std::string> list_npz(const std::filesystem::path& path);

}  // namespace moegnn::datasets::io
