// SPDX-License-Identifier: Apache-2.0
// AtomicFile: writes a file under a temporary name and renames it into place only after an fsync,
// so readers (and a later run after a crash) see either no file or the complete one. The
// temporary is removed when the object dies uncommitted. Public so that modules above datasets
// (ooc/) write their files the same way instead of keeping another copy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>

namespace moegnn::datasets {

class AtomicFile {
 public:
  // Creates (truncating) `temporary` and its folder; `target` is where commit() puts it. Throws
  // IoError naming the file.
  AtomicFile(std::filesystem::path target, std::filesystem::path temporary);
  // `target` + ".part".
  explicit AtomicFile(std::filesystem::path target);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  // Appends bytes; throws IoError on failure.
  void write(const void* data, std::size_t bytes);
  void write(std::string_view bytes) { write(bytes.data(), bytes.size()); }
  // Appends zero bytes up to the next multiple of `alignment` of the bytes written so far.
  void pad_to(std::size_t alignment);
  // Writes bytes at `offset` of the temporary (pwrite; the file grows as needed, size() tracks
  // the furthest byte written). Throws IoError on failure (e.g. a full disk).
  void write_at(std::uint64_t offset, const void* data, std::size_t bytes);
  std::size_t size() const { return written_; }
  const std::filesystem::path& temporary() const { return temporary_; }

  // fsync, close, rename over the target, fsync the folder. Throws IoError (the temporary is
  // removed).
  void commit();
  // Closes and removes the temporary without committing (also what the destructor does).
  void discard() noexcept;

 private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;
  int fd_ = -1;
  std::size_t written_ = 0;
  bool done_ = false;
};

// A fresh temporary name next to `target`: ".<name>.tmp.<pid>.<counter>".
std::filesystem::path temporary_name(const std::filesystem::path& target);

}  // namespace moegnn::datasets
