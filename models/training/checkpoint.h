// SPDX-License-Identifier: Apache-2.0
// Checkpoint: named tensors plus a string-to-string metadata map, stored in the safetensors format
// (huggingface/safetensors, README "Format"): an unsigned 64-bit little-endian header size N, N
// bytes of UTF-8 JSON {"<name>": {"dtype": "F32"|"I64", "shape": [...], "data_offsets": [begin,
// end]}, ...,
// "__metadata__": {"<key>": "<value>"}} padded with spaces so the byte buffer starts 8-byte aligned
// (as the reference writer pads), then the byte buffer: row-major, little-endian, no holes, offsets
// relative to its start. Python reads the files with safetensors.numpy.load_file. save() writes a
// temporary file, fsyncs it and renames it over the target, so a crash leaves the old file or the
// new one. The writer adds "moegnn.crc32" (of the rest of the header and the byte buffer) to the
// metadata and the reader checks it when present: truncation and flipped bits both surface as
// IoError, never as garbage.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/tensor.h"

namespace moegnn::training {

class Checkpoint {
 public:
  // Stores a copy of `tensor` as F32 with shape [rows, cols]. Throws InvalidArgument for an empty
  // or reserved name ("__metadata__"), a name already present, or a tensor not on the CPU.
  void add(const std::string& name, const Tensor& tensor);
  // Stores `values` as I64 with `shape` (empty shape: a scalar, one value). Throws InvalidArgument
  // as add() or when the shape's element count differs from values.size().
  void add_int64(const std::string& name, std::vector<std::int64_t> values,
                 std::vector<Index> shape = {});
  // Sets metadata[key] = value (overwrites). Throws InvalidArgument for an empty key.
  void set_metadata(const std::string& key, std::string value);

  bool contains(const std::string& name) const { return entries_.count(name) != 0; }
  std::vector<std::string> names() const;  // sorted
  DType dtype(const std::string& name) const;
  const std::vector<Index>& shape(const std::string& name) const;
  // F32 tensor `name` as rows × cols: shape [r, c] as is, [n] as 1 × n, [] as 1 × 1 (a copy).
  // Throws InvalidArgument when missing, not F32, or of rank > 2.
  Tensor tensor(const std::string& name) const;
  // I64 values of `name`, row-major. Throws InvalidArgument when missing or not I64.
  const std::vector<std::int64_t>& int64(const std::string& name) const;
  bool has_metadata(const std::string& key) const { return metadata_.count(key) != 0; }
  // Throws InvalidArgument when the key is missing.
  const std::string& metadata(const std::string& key) const;
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

  // The file's bytes (header + buffer), deterministic for equal contents.
  std::string serialize() const;
  // Parses and validates bytes from serialize() or any safetensors writer (F32 and I64 tensors).
  // Throws IoError naming `source` for anything malformed: short input, header size past the end,
  // bad JSON or fields, other dtypes, offsets that overlap, leave holes or miss the end, duplicate
  // names, or a CRC mismatch.
  static Checkpoint parse(std::string_view bytes, const std::string& source = "<memory>");

  // Writes serialize() atomically (temp file in the same folder, fsync, rename, fsync of the
  // folder). Throws IoError when any step fails; the target is then unchanged.
  void save(const std::filesystem::path& path) const;
  // Reads and parse()s a file. Throws IoError when it cannot be read or is malformed.
  static Checkpoint load(const std::filesystem::path& path);

 private:
  struct Entry {
    DType dtype = DType::Float32;
    std::vector<Index> shape;
    Tensor f32;                     // DType::Float32
    std::vector<std::int64_t> i64;  // DType::Int64
  };
  void check_new_name(const std::string& name, const char* function) const;
  const Entry& entry(const std::string& name, const char* function) const;

  std::map<std::string, Entry> entries_;
  std::map<std::string, std::string> metadata_;
};

}  // namespace moegnn::training
