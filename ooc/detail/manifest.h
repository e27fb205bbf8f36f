// SPDX-License-Identifier: Apache-2.0
// manifest.json of a pack (private): written last by write_pack, read by read_pack_info and
// Pack::open.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "ooc/pack.h"

namespace moegnn::ooc::detail {

struct FileRecord {
  std::uint64_t bytes = 0;
  std::uint32_t crc32 = 0;
};

// Records pool.bin and index.bin (size and CRC-32, read back), packed.bin (size) and cache.bin
// (`cache`), then writes manifest.json atomically.
void write_manifest(const std::filesystem::path& dir, PackInfo info, const FileRecord& cache);

struct Manifest {
  PackInfo info;
  std::map<std::string, FileRecord> files;
};
// Throws IoError naming the directory for a missing manifest (incomplete pack) and the file for a
// malformed or other-version one.
Manifest read_manifest(const std::filesystem::path& dir);

}  // namespace moegnn::ooc::detail
