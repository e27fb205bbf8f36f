// SPDX-License-Identifier: Apache-2.0
// A bounds-checked cursor over the bytes of one file (or one archive member), shared by the binary
// readers. Every read checks the remaining length first, so a corrupt length field can neither read
// out of bounds nor make a reader allocate more than the file holds. Failures throw IoError worded
// `<function>: <source>: byte <pos>: <what>`, naming the file and the offset of the bad field.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/error.h"

namespace moegnn::datasets::io::detail {

// Throws Error "<function>: <source>: byte <pos>: <parts...>".
template <typename Error = IoError, typename... Parts>
[[noreturn]] void fail_at(const char* function, std::string_view source, std::size_t pos,
                          const Parts&... parts) {
  ::moegnn::detail::throw_error<Error>(function, source, ": byte ", pos, ": ", parts...);
}

// a * b for sizes, or false when the product overflows.
inline bool checked_mul(std::uint64_t a, std::uint64_t b, std::uint64_t& out) {
  return !__builtin_mul_overflow(a, b, &out);
}

class ByteReader {
 public:
  // `bytes` must outlive the reader; `base` is the file offset of bytes[0] (for messages).
  ByteReader(std::string_view bytes, std::string_view source, const char* function,
             std::size_t base = 0)
      : bytes_(bytes),
        source_(source),
        function_(function),
        base_(base) {}

  std::size_t pos() const { return pos_; }
  std::size_t file_pos() const { return base_ + pos_; }
  std::size_t size() const { return bytes_.size(); }
  std::size_t remaining() const { return bytes_.size() - pos_; }
  bool at_end() const { return pos_ == bytes_.size(); }
  std::string_view bytes() const { return bytes_; }
  std::string_view source() const { return source_; }
  const char* function() const { return function_; }

  // Moves to `pos` (an offset into bytes()); throws when it lies past the end.
  void seek(std::uint64_t pos, const char* what) {
    if (pos > bytes_.size())
      fail(what, " at offset ", base_ + pos, " lies past the end (", base_ + bytes_.size(),
           " bytes)");
    pos_ = static_cast<std::size_t>(pos);
  }

  // Throws "<what>: needs N bytes, M left" unless n bytes remain.
  void require(std::uint64_t n, const char* what) const {
    if (n > remaining())
      fail(what, ": needs ", n, " bytes vs ", remaining(),
           " left; the file is truncated or corrupt");
  }

  std::string_view take(std::uint64_t n, const char* what) {
    require(n, what);
    const std::string_view out = bytes_.substr(pos_, static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return out;
  }

  std::uint8_t u8(const char* what) {
    require(1, what);
    return static_cast<std::uint8_t>(bytes_[pos_++]);
  }

  // A little-endian integer of sizeof(T) bytes.
  template <typename T>
  T le(const char* what) {
    static_assert(std::is_integral_v<T>);
    require(sizeof(T), what);
    std::make_unsigned_t<T> v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i)
      v |= static_cast<std::make_unsigned_t<T>>(static_cast<std::uint8_t>(bytes_[pos_ + i]))
           << (8 * i);
    pos_ += sizeof(T);
    return static_cast<T>(v);
  }

  // Bytes up to (not including) the next '\n', which is consumed; throws when there is none.
  std::string_view line(const char* what) {
    const std::size_t end = bytes_.find('\n', pos_);
    if (end == std::string_view::npos) fail(what, ": no end of line before the end of the data");
    const std::string_view out = bytes_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return out;
  }

  template <typename... Parts>
  [[noreturn]] void fail(const Parts&... parts) const {
    fail_at(function_, source_, file_pos(), parts...);
  }
  template <typename... Parts>
  [[noreturn]] void fail_at_offset(std::size_t offset, const Parts&... parts) const {
    fail_at(function_, source_, base_ + offset, parts...);
  }
  template <typename... Parts>
  [[noreturn]] void unsupported(const Parts&... parts) const {
    fail_at<Unsupported>(function_, source_, file_pos(), parts...);
  }

 private:
  std::string_view bytes_;
  std::string_view source_;
  const char* function_;
  std::size_t base_ = 0;
  std::size_t pos_ = 0;
};

}  // namespace moegnn::datasets::io::detail
