// SPDX-License-Identifier: Apache-2.0
// Decompression bombs built in memory for the allocation-bound tests: raw deflate data of many
// MiB of zeros at about 1 KB per MiB (one MiB compressed with a full flush repeats byte for byte,
// so the stream is that piece copied), wrapped as a gzip file or a one-member ZIP archive, and the
// process's peak resident memory to show that a rejected bomb was never inflated.
#pragma once

#include <sys/resource.h>

#include <cstdint>
#include <cstring>
#include <string>

#include <gtest/gtest.h>
#include <zlib.h>

namespace moegnn::datasets::io::testing {

// Raw deflate (no zlib/gzip wrapper) of `mib` MiB of zero bytes.
inline std::string zero_deflate(std::size_t mib) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
  const std::string zeros(std::size_t{1} << 20, '\0');
  std::string piece(1 << 16, '\0');
  std::string tail(64, '\0');
  const auto run = [&](std::string& out, const std::string& in, int flush) {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, flush);
    out.resize(out.size() - z.avail_out);
  };
  run(piece, zeros, Z_FULL_FLUSH);
  run(tail, std::string(), Z_FINISH);
  deflateEnd(&z);
  std::string out;
  out.reserve(piece.size() * mib + tail.size());
  for (std::size_t i = 0; i < mib; ++i) out += piece;
  return out + tail;
}

// CRC-32 of `mib` MiB of zero bytes, without materialising them.
inline std::uint32_t zero_crc(std::size_t mib) {
  const std::string zeros(std::size_t{1} << 20, '\0');
  const uLong one = crc32_z(0, reinterpret_cast<const Bytef*>(zeros.data()), zeros.size());
  uLong crc = 0;
  for (std::size_t i = 0; i < mib; ++i) crc = crc32_combine(crc, one, zeros.size());
  return static_cast<std::uint32_t>(crc);
}

inline std::string le(std::uint64_t v, int bytes) {
  std::string out(static_cast<std::size_t>(bytes), '\0');
  for (int i = 0; i < bytes; ++i)
    out[static_cast<std::size_t>(i)] = static_cast<char>(v >> (8 * i));
  return out;
}

// A gzip file of `mib` MiB of zeros whose ISIZE trailer reads `isize`.
inline std::string gzip_bomb(std::size_t mib, std::uint32_t isize) {
  const std::string header("\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03", 10);
  return header + zero_deflate(mib) + le(zero_crc(mib), 4) + le(isize, 4);
}

// A ZIP archive of one deflate member `name` holding `mib` MiB of zeros, declared honestly.
inline std::string zip_bomb(const std::string& name, std::size_t mib) {
  const std::string data = zero_deflate(mib);
  const std::uint64_t size = std::uint64_t{mib} << 20;
  const std::string common = le(20, 2) + le(0, 2) + le(8, 2) + le(0, 4) + le(zero_crc(mib), 4) +
                             le(data.size(), 4) + le(size, 4) + le(name.size(), 2) + le(0, 2);
  const std::string local = le(0x04034b50, 4) + common + name;
  const std::string central = le(0x02014b50, 4) + le(20, 2) + common + le(0, 2) + le(0, 2) +
                              le(0, 2) + le(0, 4) + le(0, 4) + name;
  const std::string end = le(0x06054b50, 4) + le(0, 2) + le(0, 2) + le(1, 2) + le(1, 2) +
                          le(central.size(), 4) + le(local.size() + data.size(), 4) + le(0, 2);
  return local + data + central + end;
}

// Peak resident memory of this process so far, in MiB.
inline double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

}  // namespace moegnn::datasets::io::testing
