// SPDX-License-Identifier: Apache-2.0
// Whole-file reads and in-memory gzip decompression through zlib's inflate.
#include "datasets/io/file.h"

#include <algorithm>
#include <cerrno>
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

}  // namespace

std::string read_file(const std::filesystem::path& path) {
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
  std::string out(detail::initial_inflate_size(bytes.size(), 1 << 16, max_bytes), '\0');
  std::size_t produced = 0;
  std::size_t consumed = 0;
  bool member_done = false;
  // 2. Feed input and grow the output (detail::inflate_step keeps zlib's 32-bit counters happy).
  while (true) {
    const int ret = detail::inflate_step(stream, bytes, consumed, out, produced, max_bytes, [&] {
      MOEGNN_FAIL(IoError, "gunzip", source, ": decompressed data exceeds ", max_bytes,
                  " bytes vs the limit; the file is corrupt or larger than allowed");
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

std::string read_maybe_gzip(const std::filesystem::path& path) {
  std::string bytes = read_file(path);
  if (!is_gzip(bytes)) return bytes;
  return gunzip(bytes, path.string());
}

}  // namespace moegnn::datasets::io
