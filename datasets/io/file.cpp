// SPDX-License-Identifier: Apache-2.0
// Whole-file reads and in-memory gzip decompression through zlib's inflate.
#include "datasets/io/file.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>

#include <zlib.h>

#include "core/error.h"
#include "datasets/io/detail/inflate.h"

namespace moegnn::datasets::io {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// Deflate expands at most about 1032:1; the slack covers gzip headers and tiny inputs.
constexpr std::size_t kMaxDeflateRatio = 1032;
constexpr std::size_t kSlack = std::size_t{1} << 16;

// The ISIZE field of the last gzip member (uncompressed size mod 2^32), or 0 when absent.
std::size_t trailer_isize(std::string_view bytes) {
  if (bytes.size() < 18) return 0;  // 10-byte header + 8-byte trailer
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i)
    v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[bytes.size() - 4 + i]))
         << (8 * i);
  return v;
}

}  // namespace

std::size_t default_inflate_limit(std::size_t compressed_bytes) {
  constexpr std::size_t kFloor = std::size_t{256} << 20;
  constexpr std::size_t kRatio = 64;
  return compressed_bytes > kFloor / kRatio ? compressed_bytes * kRatio : kFloor;
}

void require_regular_file(const std::filesystem::path& path, const char* function) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::regular) return;
  if (status.type() == std::filesystem::file_type::directory)
    MOEGNN_FAIL(IoError, function, path.string(), ": is a directory vs a regular file");
  if (status.type() == std::filesystem::file_type::not_found ||
      status.type() == std::filesystem::file_type::none)
    MOEGNN_FAIL(IoError, function, path.string(),
                ": cannot open: no such file vs an existing file");
  MOEGNN_FAIL(IoError, function, path.string(),
              ": is not a regular file (a device, FIFO or socket) vs a regular file");
}

std::string read_file(const std::filesystem::path& path) {
  // A FIFO or device would block or stream without end; a directory opens but cannot be read.
  require_regular_file(path, "read_file");
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file)
    MOEGNN_FAIL(IoError, "read_file", path.string(), ": cannot open: ", std::strerror(errno));
  std::string bytes;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec) bytes.reserve(static_cast<std::size_t>(size));
  char buffer[1 << 16];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof(buffer), file.get())) > 0) bytes.append(buffer, got);
  if (std::ferror(file.get()))
    MOEGNN_FAIL(IoError, "read_file", path.string(), ": read error after ", bytes.size(), " bytes");
  return bytes;
}

bool is_gzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

std::string gunzip(std::string_view bytes, std::string_view source, std::size_t max_bytes) {
  // 1. One inflate stream in gzip mode (windowBits 15 + 16); concatenated members restart it.
  detail::InflateStream stream;
  if (inflateInit2(&stream.z, 15 + 16) != Z_OK)
    MOEGNN_FAIL(IoError, "gunzip", source, ": zlib inflateInit2 failed");
  stream.live = true;
  if (max_bytes == 0) max_bytes = default_inflate_limit(bytes.size());
  // Deflate's own ratio bounds the output whatever the headers claim; the ISIZE trailer (exact for
  // a single member below 4 GiB) sizes the first buffer so normal files inflate without regrowth.
  if (max_bytes > kSlack && bytes.size() <= (max_bytes - kSlack) / kMaxDeflateRatio)
    max_bytes = bytes.size() * kMaxDeflateRatio + kSlack;
  // The last member inflates to ISIZE + k · 2^32 bytes, so an ISIZE over the limit is rejected
  // before anything is allocated.
  const std::size_t isize = trailer_isize(bytes);
  if (isize > max_bytes)
    MOEGNN_FAIL(IoError, "gunzip", source, ": the last gzip member declares ", isize,
                " bytes (ISIZE) vs the limit of ", max_bytes, " for ", bytes.size(),
                " compressed bytes; the file is corrupt, or pass a larger max_bytes");
  // Trusted as a size hint only up to 64:1, so a forged ISIZE cannot make us allocate up front.
  const bool plausible = isize > 0 && isize < max_bytes && isize / 64 <= bytes.size();
  std::string out(plausible ? isize + 1
                      : detail::initial_inflate_size(bytes.size(), 1 << 16, max_bytes),
                  '\0');
  std::size_t produced = 0;
  std::size_t consumed = 0;
  bool member_done = false;
  // 2. Feed input and grow the output (detail::inflate_step keeps zlib's 32-bit counters happy).
  while (true) {
    const int ret = detail::inflate_step(stream, bytes, consumed, out, produced, max_bytes, [&] {
      MOEGNN_FAIL(IoError, "gunzip", source, ": decompressed data exceeds ", max_bytes,
                  " bytes vs the limit for ", bytes.size(),
                  " compressed bytes; the file is corrupt, or pass a larger max_bytes");
    });
    member_done = ret == Z_STREAM_END;
    if (ret == Z_STREAM_END) {
      // Another member may follow (gzip allows concatenation); anything else is an error.
      if (consumed == bytes.size()) break;
      if (!is_gzip(bytes.substr(consumed)))
        MOEGNN_FAIL(IoError, "gunzip", source, ": byte ", consumed,
                    ": trailing data after the gzip stream vs another gzip member or the end");
      inflateReset(&stream.z);
      continue;
    }
    if (ret == Z_OK) continue;
    if (ret == Z_BUF_ERROR && stream.z.avail_out == 0) continue;  // needs more output room
    if (ret == Z_BUF_ERROR)
      MOEGNN_FAIL(IoError, "gunzip", source, ": byte ", consumed,
                  ": unexpected end of the gzip data; the file is truncated");
    MOEGNN_FAIL(IoError, "gunzip", source, ": byte ", consumed,
                ": corrupt gzip data: ", stream.z.msg != nullptr ? stream.z.msg : "zlib error ",
                ret);
  }
  if (!member_done) MOEGNN_FAIL(IoError, "gunzip", source, ": unexpected end of the gzip data");
  out.resize(produced);
  return out;
}

std::string read_maybe_gzip(const std::filesystem::path& path, std::size_t max_bytes) {
  std::string bytes = read_file(path);
  if (!is_gzip(bytes)) return bytes;
  return gunzip(bytes, path.string(), max_bytes);
}

}  // namespace moegnn::datasets::io
