// SPDX-License-Identifier: Apache-2.0
// Little binary record helpers for the pack's own files (private): a byte builder whose content
// ends in a CRC-32, and a bounds-checked cursor that names the file when it runs out (truncation).
#pragma once

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <zlib.h>

#include "core/error.h"

namespace moegnn::ooc::detail {

inline std::uint32_t crc32_of(std::uint32_t crc, const void* data, std::size_t bytes) {
  const auto* p = static_cast<const Bytef*>(data);
  while (bytes > 0) {
    const auto n = static_cast<uInt>(std::min<std::size_t>(bytes, 1u << 30));
    crc = static_cast<std::uint32_t>(::crc32(crc, p, n));
    p += n;
    bytes -= n;
  }
  return crc;
}

class ByteWriter {
 public:
  template <typename T>
  void put(T v) {
    bytes_.append(reinterpret_cast<const char*>(&v), sizeof(T));
  }
  template <typename T>
  void put_span(std::span<const T> v) {
    put<std::int64_t>(static_cast<std::int64_t>(v.size()));
    bytes_.append(reinterpret_cast<const char*>(v.data()), v.size_bytes());
  }
  // Appends the CRC-32 of everything so far and returns the bytes.
  std::string finish() {
    put<std::uint32_t>(crc32_of(0, bytes_.data(), bytes_.size()));
    return std::move(bytes_);
  }

 private:
  std::string bytes_;
};

class ByteReader {
 public:
  // Checks the trailing CRC-32. Throws IoError naming `source`.
  ByteReader(std::string_view bytes, std::filesystem::path source)
      : bytes_(bytes), source_(std::move(source)) {
    MOEGNN_CHECK_AS(IoError, "ooc::read", bytes_.size() >= 4, source_.string(),
                    ": truncated (", bytes_.size(), " bytes)");
    std::uint32_t stored = 0;
    std::memcpy(&stored, bytes_.data() + bytes_.size() - 4, 4);
    bytes_.remove_suffix(4);
    MOEGNN_CHECK_AS(IoError, "ooc::read", stored == crc32_of(0, bytes_.data(), bytes_.size()),
                    source_.string(), ": CRC-32 mismatch (truncated or corrupt); run prepare again");
  }
  template <typename T>
  T get() {
    need(sizeof(T));
    T v{};
    std::memcpy(&v, bytes_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return v;
  }
  template <typename T>
  std::vector<T> get_vector(std::int64_t max_size) {
    const auto n = get<std::int64_t>();
    MOEGNN_CHECK_AS(IoError, "ooc::read", n >= 0 && n <= max_size, source_.string(), ": length ",
                    n, " at byte ", at_, " vs [0, ", max_size, "]");
    need(static_cast<std::size_t>(n) * sizeof(T));
    std::vector<T> v(static_cast<std::size_t>(n));
    if (n > 0) std::memcpy(v.data(), bytes_.data() + at_, v.size() * sizeof(T));  // empty: data() may be null
    at_ += v.size() * sizeof(T);
    return v;
  }
  bool done() const { return at_ == bytes_.size(); }
  const std::filesystem::path& source() const { return source_; }

 private:
  void need(std::size_t n) const {
    MOEGNN_CHECK_AS(IoError, "ooc::read", n <= bytes_.size() - at_, source_.string(),
                    ": truncated at byte ", at_, " (", n, " more bytes needed)");
  }
  std::string_view bytes_;
  std::filesystem::path source_;
  std::size_t at_ = 0;
};

// The whole file; throws IoError naming it.
std::string read_whole(const std::filesystem::path& path);

}  // namespace moegnn::ooc::detail
