// SPDX-License-Identifier: Apache-2.0
// MAT-file data elements for the structural walk (mat_check.cpp): tags in either byte order, the
// small (4-byte) format and padding.
#include <algorithm>
#include <utility>

#include "datasets/io/detail/mat_reader.h"

namespace moegnn::datasets::io::detail {

std::size_t mi_size(std::uint32_t type) {
  switch (type) {
  case kMiInt8:
  case kMiUInt8:
  case kMiUtf8:
    return 1;
  case kMiInt16:
  case kMiUInt16:
  case kMiUtf16:
    return 2;
  case kMiInt32:
  case kMiUInt32:
  case kMiSingle:
  case kMiUtf32:
    return 4;
  case kMiDouble:
  case kMiInt64:
  case kMiUInt64:
    return 8;
  default:
    return 0;
  }
}

std::uint32_t mat_u32(ByteReader& r, bool big_endian, const char* what) {
  const auto v = r.le<std::uint32_t>(what);
  return big_endian ? __builtin_bswap32(v) : v;
}

MatElement read_mat_element(ByteReader& r, bool big_endian, const char* what) {
  const std::size_t start = r.pos();
  const std::uint32_t word = mat_u32(r, big_endian, what);
  MatElement e;
  if ((word >> 16) != 0) {  // small data element: size and type share the first word
    e.type = word & 0xFFFF;
    e.small = true;
    const std::uint32_t n = word >> 16;
    if (n > 4) r.fail_at_offset(start, what, ": small data element of ", n, " bytes vs <= 4");
    e.data_pos = r.pos();
    e.data = r.take(4, what).substr(0, n);
    return e;
  }
  e.type = word;
  const std::uint32_t n = mat_u32(r, big_endian, what);
  e.data_pos = r.pos();
  e.data = r.take(n, what);
  r.take(std::min<std::size_t>((8 - n % 8) % 8, r.remaining()), "padding");
  return e;
}

}  // namespace moegnn::datasets::io::detail
