// SPDX-License-Identifier: Apache-2.0
// The dataset cache container (private): a little-endian file of named 2-D arrays. Layout: a
// 128-byte header (magic "MOEGNND\0", version, kind, section count, table offset, file length,
// CRC-32 of the whole file with the CRC field zeroed, and a fingerprint of the companion graph
// file, and a CRC-32 of header and table alone), a table of 64-byte section entries (name, dtype,
// rows, cols, offset), then each section's bytes on a 64-byte boundary. A loaded container maps
// the file and hands out arrays that view the mapping (no copy; pages load on first touch).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/index_array.h"
#include "core/storage.h"
#include "core/tensor.h"

namespace moegnn::datasets::detail {

inline constexpr std::uint32_t kContainerVersion = 1;

enum class SectionType : std::uint32_t { Float32 = 1, Int32 = 2, Int64 = 3, Bytes = 4 };

// What the header records about the graph file stored next to the container.
struct GraphFingerprint {
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t nnz = 0;
  std::uint32_t crc32 = 0;  // over row_ptr, col_idx and values bytes
  bool operator==(const GraphFingerprint&) const = default;
};

class ContainerWriter {
 public:
  void add(const std::string& name, const Tensor& t);
  void add(const std::string& name, const IndexArray32& a);
  void add(const std::string& name, const IndexArray64& a);
  void add(const std::string& name, const std::string& bytes);
  // Writes atomically (temporary + fsync + rename). Throws IoError.
  void write(const std::filesystem::path& path, std::uint32_t kind,
             const GraphFingerprint& graph) const;

 private:
  // One named array; exactly one of the handles holds it (handles share storage, so the data
  // stays alive while the writer lives).
  struct Section {
    std::string name;
    SectionType type = SectionType::Bytes;
    std::int64_t rows = 0, cols = 0;
    Tensor tensor{};
    IndexArray32 int32s{};
    IndexArray64 int64s{};
    std::string bytes{};
    const void* data() const;
    std::uint64_t size_bytes() const;
  };
  void push(Section s);
  std::vector<Section> sections_;
};

class ContainerReader {
 public:
  struct Mapping;  // the mapped file image

  // Reads and validates `path` (every header and table field against the file; the CRC when
  // verify_checksum). `kind` must match. Throws IoError naming the file.
  ContainerReader(const std::filesystem::path& path, std::uint32_t kind, bool verify_checksum);

  const GraphFingerprint& graph() const { return graph_; }
  bool has(const std::string& name) const { return sections_.count(name) != 0; }
  // Typed access; throws IoError for a missing section or another type/shape.
  Tensor tensor(const std::string& name) const;
  IndexArray32 int32s(const std::string& name) const;
  IndexArray64 int64s(const std::string& name) const;
  std::string bytes(const std::string& name) const;

 private:
  struct Section {
    SectionType type;
    std::int64_t rows, cols;
    std::uint64_t offset, bytes;
  };
  void read_table(std::uint64_t num_sections);  // fills sections_, checking every entry
  const Section& find(const std::string& name, SectionType type) const;
  std::shared_ptr<Storage> view(const Section& s) const;
  std::filesystem::path path_;
  std::shared_ptr<Mapping> image_;
  std::map<std::string, Section> sections_;
  GraphFingerprint graph_;
};

// CRC-32 (zlib) of a graph's arrays, for GraphFingerprint.
std::uint32_t crc32_bytes(std::uint32_t crc, const void* data, std::size_t bytes);

}  // namespace moegnn::datasets::detail
