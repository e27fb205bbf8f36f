// SPDX-License-Identifier: Apache-2.0
// The zlib inflate loop shared by the gzip reader (io/file.cpp) and the MAT-file walk's
// compressed elements (io/mat_check.cpp): an owned z_stream and one step that grows the output
// buffer and feeds zlib in pieces its 32-bit counters can hold. Each caller keeps its own error
// wording.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

#include <zlib.h>

namespace moegnn::datasets::io::detail {

// A z_stream released with inflateEnd once initialised (set `live` after inflateInit succeeds).
struct InflateStream {
  z_stream z{};
  bool live = false;
  InflateStream() = default;
  InflateStream(const InflateStream&) = delete;
  InflateStream& operator=(const InflateStream&) = delete;
  ~InflateStream() {
    if (live) inflateEnd(&z);
  }
};

// Output buffer size to start with: four times the input, at least `floor`, at most max_bytes.
inline std::size_t initial_inflate_size(std::size_t in_size, std::size_t floor,
                                        std::size_t max_bytes) {
  return std::min(std::max(in_size * 4, floor), max_bytes);
}

// One round of inflate(): when `out` is full, doubles it (up to max_bytes; at max_bytes calls
// too_big(), which must throw), then feeds at most 1 GiB of `in` from `consumed` into `out` from
// `produced` and advances both. Returns zlib's status (Z_STREAM_END, Z_OK, Z_BUF_ERROR, ...).
template <typename TooBig>
int inflate_step(InflateStream& stream, std::string_view in, std::size_t& consumed,
                 std::string& out, std::size_t& produced, std::size_t max_bytes,
                 TooBig&& too_big) {
  if (produced == out.size()) {
    if (out.size() >= max_bytes) too_big();
    out.resize(std::min(max_bytes, std::max<std::size_t>(out.size() * 2, 1)));
  }
  const std::size_t in_chunk = std::min<std::size_t>(in.size() - consumed, 1u << 30);
  const std::size_t out_chunk = std::min<std::size_t>(out.size() - produced, 1u << 30);
  stream.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + consumed));
  stream.z.avail_in = static_cast<uInt>(in_chunk);
  stream.z.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
  stream.z.avail_out = static_cast<uInt>(out_chunk);
  const int ret = inflate(&stream.z, Z_NO_FLUSH);
  consumed += in_chunk - stream.z.avail_in;
  produced += out_chunk - stream.z.avail_out;
  return ret;
}

}  // namespace moegnn::datasets::io::detail
