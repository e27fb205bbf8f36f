// SPDX-License-Identifier: Apache-2.0
#include "dist/detail/array_file.h"

#include <zlib.h>

#include <array>
#include <cstring>
#include <fstream>
#include <string>

#include "core/error.h"
#include "datasets/atomic_file.h"

namespace moegnn::dist::detail {
namespace {

constexpr std::array<char, 8> kMagic = {'M', 'O', 'E', 'G', 'N', 'N', 'A', '\0'};
constexpr std::size_t kHeaderBytes = 64;

struct Header {
  std::array<char, 8> magic;
  std::uint32_t version;
  std::uint32_t dtype;
  std::int64_t rows;
  std::int64_t cols;
  std::uint64_t payload_bytes;
  std::uint32_t crc32;
  std::uint32_t reserved;
  std::array<std::uint8_t, 16> padding;
};
static_assert(sizeof(Header) == kHeaderBytes);

std::uint32_t crc_of(std::uint32_t crc, const void* data, std::size_t bytes) {
  auto* p = static_cast<const Bytef*>(data);
  uLong c = crc;
  while (bytes > 0) {  // zlib takes uInt lengths
    const auto piece = static_cast<uInt>(std::min<std::size_t>(bytes, 1U << 30));
    c = crc32(c, p, piece);
    p += piece;
    bytes -= piece;
  }
  return static_cast<std::uint32_t>(c);
}

std::uint32_t header_crc(Header h, const void* payload) {
  h.crc32 = 0;
  return crc_of(crc_of(0, &h, sizeof h), payload, h.payload_bytes);
}

std::size_t element_bytes(ArrayDType t) { return t == ArrayDType::Int64 ? 8 : 4; }

const char* dtype_name(std::uint32_t t) {
  switch (static_cast<ArrayDType>(t)) {
    case ArrayDType::Float32: return "float32";
    case ArrayDType::Int32: return "int32";
    case ArrayDType::Int64: return "int64";
  }
  return "unknown";
}

void write(const std::filesystem::path& path, ArrayDType dtype, Index rows, Index cols,
           const void* data) {
  Header h{};
  h.magic = kMagic;
  h.version = kArrayFileVersion;
  h.dtype = static_cast<std::uint32_t>(dtype);
  h.rows = rows;
  h.cols = cols;
  h.payload_bytes = static_cast<std::uint64_t>(rows * cols) * element_bytes(dtype);
  h.crc32 = header_crc(h, data);
  datasets::AtomicFile out(path, datasets::temporary_name(path));
  out.write(&h, sizeof h);
  if (h.payload_bytes > 0) out.write(data, h.payload_bytes);
  out.commit();
}

// Reads `path` into `dest` (sized by the caller from the checked header via `allocate`).
template <typename Allocate>
void read(const char* function, const std::filesystem::path& path, ArrayDType dtype, Index rows,
          Index cols, Allocate allocate) {
  const std::string file = path.string();
  std::ifstream in(path, std::ios::binary);
  MOEGNN_CHECK_AS(IoError, function, in.good(), file, ": cannot open (",
                  std::filesystem::exists(path) ? "unreadable" : "missing",
                  "); write the parts again with `moegnn-data partition`");
  const auto size = static_cast<std::uint64_t>(std::filesystem::file_size(path));
  MOEGNN_CHECK_AS(IoError, function, size >= kHeaderBytes, file, ": truncated: ", size,
                  " bytes vs at least a ", kHeaderBytes, "-byte header");
  Header h{};
  in.read(reinterpret_cast<char*>(&h), sizeof h);
  MOEGNN_CHECK_AS(IoError, function, in.good() && h.magic == kMagic, file,
                  ": not a moegnn array file (bad magic)");
  MOEGNN_CHECK_AS(IoError, function, h.version == kArrayFileVersion, file, ": format version ",
                  h.version, " vs ", kArrayFileVersion);
  MOEGNN_CHECK_AS(IoError, function, h.dtype == static_cast<std::uint32_t>(dtype), file,
                  ": dtype ", dtype_name(h.dtype), " vs ", dtype_name(static_cast<std::uint32_t>(dtype)));
  MOEGNN_CHECK_AS(IoError, function, h.rows >= 0 && h.cols >= 0 &&
                      h.payload_bytes == static_cast<std::uint64_t>(h.rows) *
                                             static_cast<std::uint64_t>(h.cols) * element_bytes(dtype),
                  file, ": corrupt header: ", h.rows, " × ", h.cols, " with ", h.payload_bytes,
                  " payload bytes");
  MOEGNN_CHECK_AS(IoError, function, size == kHeaderBytes + h.payload_bytes, file,
                  ": truncated or extended: ", size, " bytes vs ", kHeaderBytes + h.payload_bytes,
                  " from its header");
  MOEGNN_CHECK_AS(IoError, function, (rows < 0 || h.rows == rows) && (cols < 0 || h.cols == cols),
                  file, ": shape ", h.rows, " × ", h.cols, " vs expected ", rows < 0 ? h.rows : rows,
                  " × ", cols < 0 ? h.cols : cols);
  void* dest = allocate(static_cast<Index>(h.rows), static_cast<Index>(h.cols));
  if (h.payload_bytes > 0) in.read(static_cast<char*>(dest), static_cast<std::streamsize>(h.payload_bytes));
  MOEGNN_CHECK_AS(IoError, function, in.good(), file, ": read failed");
  const std::uint32_t crc = header_crc(h, dest);
  MOEGNN_CHECK_AS(IoError, function, crc == h.crc32, file, ": corrupt: CRC-32 ", crc, " vs ",
                  h.crc32, " recorded; write the parts again");
}

}  // namespace

void write_array(const std::filesystem::path& path, const Tensor& t) {
  const Tensor host = t.to(Device::Cpu);
  write(path, ArrayDType::Float32, host.rows(), host.cols(), host.data());
}

void write_array(const std::filesystem::path& path, std::span<const std::int32_t> values) {
  write(path, ArrayDType::Int32, static_cast<Index>(values.size()), 1, values.data());
}

void write_array(const std::filesystem::path& path, std::span<const std::int64_t> values) {
  write(path, ArrayDType::Int64, static_cast<Index>(values.size()), 1, values.data());
}

Tensor read_tensor(const char* function, const std::filesystem::path& path, Index rows, Index cols) {
  Tensor out;
  read(function, path, ArrayDType::Float32, rows, cols, [&](Index r, Index c) -> void* {
    out = Tensor::empty(r, c);
    return out.data();
  });
  return out;
}

IndexArray32 read_int32(const char* function, const std::filesystem::path& path, Index size) {
  IndexArray32 out;
  read(function, path, ArrayDType::Int32, size, 1, [&](Index r, Index) -> void* {
    out = IndexArray32(r);
    return out.data();
  });
  return out;
}

std::vector<std::int64_t> read_int64(const char* function, const std::filesystem::path& path,
                                     Index size) {
  std::vector<std::int64_t> out;
  read(function, path, ArrayDType::Int64, size, 1, [&](Index r, Index) -> void* {
    out.resize(static_cast<std::size_t>(r));
    return out.data();
  });
  return out;
}

}  // namespace moegnn::dist::detail
