// SPDX-License-Identifier: Apache-2.0
// The MAT-file reader's element layer (private; defined in mat_element.cpp), shared by the file
// layer (mat.cpp: header, compressed elements) and the array layer (mat_array.cpp: miMATRIX
// contents per class): byte-order aware tags, small data elements, and payload decoding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "datasets/io/detail/byte_reader.h"
#include "datasets/io/mat.h"

namespace moegnn::datasets::io::detail {

// MAT-file data types (miINT8 = 1 ... miUTF32 = 18).
enum MiType : std::uint32_t {
  kMiInt8 = 1,
  kMiUInt8 = 2,
  kMiInt16 = 3,
  kMiUInt16 = 4,
  kMiInt32 = 5,
  kMiUInt32 = 6,
  kMiSingle = 7,
  kMiDouble = 9,
  kMiInt64 = 12,
  kMiUInt64 = 13,
  kMiMatrix = 14,
  kMiCompressed = 15,
  kMiUtf8 = 16,
  kMiUtf16 = 17,
  kMiUtf32 = 18
};

// Bytes per element of a numeric or text data type; 0 for others.
std::size_t mi_size(std::uint32_t type);

// One data element: its type, its payload (a view into the reader's bytes) and the offset of its
// payload in the reader, for messages.
struct MatElement {
  std::uint32_t type = 0;
  std::string_view data{};
  std::size_t data_pos = 0;
};

// A 32-bit word in the file's byte order.
std::uint32_t mat_u32(ByteReader& r, bool big_endian, const char* what);

// Reads one tagged element (full or small format) and skips the padding to the next 8-byte
// boundary. Throws IoError on truncation.
MatElement read_mat_element(ByteReader& r, bool big_endian, const char* what);

// The payload of an integer-typed element as int64 values. Throws IoError (positioned at the
// element) for a non-integer type, a payload that is not a whole number of elements, or a uint64
// beyond int64.
std::vector<std::int64_t> mat_ints(const MatElement& e, bool big_endian, const ByteReader& r,
                                   const char* what);

// The payload of a numeric element converted to double (sparse values).
std::vector<double> mat_doubles(const MatElement& e, bool big_endian, const ByteReader& r,
                                const char* what);

// A value of type T stored at p in the file's byte order.
template <typename T>
T load(const char* p, bool big_endian) {
  std::make_unsigned_t<T> u = 0;
  std::memcpy(&u, p, sizeof(T));
  if (big_endian && sizeof(T) > 1) {
    if constexpr (sizeof(T) == 2) u = __builtin_bswap16(u);
    if constexpr (sizeof(T) == 4) u = __builtin_bswap32(u);
    if constexpr (sizeof(T) == 8) u = __builtin_bswap64(u);
  }
  T v;
  std::memcpy(&v, &u, sizeof(T));
  return v;
}

// Calls fn(value) for every element of a numeric payload, decoded from its data type.
template <typename Fn>
void for_each_value(const MatElement& e, bool big, const ByteReader& r, const char* what, Fn&& fn) {
  const std::size_t size = mi_size(e.type);
  if (size == 0 || e.type >= kMiUtf8)
    r.fail_at_offset(e.data_pos, what, ": data type ", e.type, " vs a numeric MAT data type");
  if (e.data.size() % size != 0)
    r.fail_at_offset(e.data_pos, what, ": ", e.data.size(), " bytes vs a multiple of ", size);
  const char* p = e.data.data();
  const std::size_t n = e.data.size() / size;
  for (std::size_t i = 0; i < n; ++i, p += size) {
    switch (e.type) {
    case kMiInt8:
      fn(load<std::int8_t>(p, big));
      break;
    case kMiUInt8:
      fn(load<std::uint8_t>(p, big));
      break;
    case kMiInt16:
      fn(load<std::int16_t>(p, big));
      break;
    case kMiUInt16:
      fn(load<std::uint16_t>(p, big));
      break;
    case kMiInt32:
      fn(load<std::int32_t>(p, big));
      break;
    case kMiUInt32:
      fn(load<std::uint32_t>(p, big));
      break;
    case kMiInt64:
      fn(load<std::int64_t>(p, big));
      break;
    case kMiUInt64:
      fn(load<std::uint64_t>(p, big));
      break;
    case kMiSingle: {
      float f;
      const auto bits = load<std::int32_t>(p, big);
      std::memcpy(&f, &bits, 4);
      fn(f);
      break;
    }
    default: {
      double d;
      const auto bits = load<std::int64_t>(p, big);
      std::memcpy(&d, &bits, 8);
      fn(d);
    }
    }
  }
}

// The contents of a miMATRIX element (flags, dims, name, class data); `r` spans exactly its
// payload. `source` names the array in messages ("<file>:<var>.field{2}"); with `append_name` it
// names the file and ":<name>" is appended. Nesting deeper than `depth` throws IoError.
MatArray read_mat_matrix(ByteReader& r, bool big_endian, const std::string& source,
                         bool append_name, int depth);

}  // namespace moegnn::datasets::io::detail
