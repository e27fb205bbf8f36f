// SPDX-License-Identifier: Apache-2.0
// Writing small .npz files in tests: .npy members (format 1.0, little-endian) stored uncompressed
// in a ZIP archive, as numpy.savez does, so the readers meet the layouts they are written for.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <zlib.h>

namespace moegnn::datasets::testing {

inline std::string le_bytes(std::uint64_t v, int bytes) {
  std::string out(static_cast<std::size_t>(bytes), '\0');
  for (int i = 0; i < bytes; ++i)
    out[static_cast<std::size_t>(i)] = static_cast<char>(v >> (8 * i));
  return out;
}

// An .npy file of `descr` ("<f4", "<i8", "|b1") and `shape` holding `data` (C order).
inline std::string npy(const std::string& descr, const std::vector<long long>& shape,
                       const std::string& data) {
  std::string dims;  // "3, 2", or "3," for one dimension (Python's tuple syntax)
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) dims += ", ";
    dims += std::to_string(shape[i]);
  }
  if (shape.size() == 1) dims += ',';
  std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims +
                       "), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  return std::string("\x93NUMPY\x01\x00", 8) + le_bytes(header.size(), 2) + header + data;
}

template <typename T>
std::string raw(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

inline std::string npy_f32(const std::vector<float>& v, std::vector<long long> shape) {
  return npy("<f4", shape, raw(v));
}
inline std::string npy_i64(const std::vector<std::int64_t>& v, std::vector<long long> shape) {
  return npy("<i8", shape, raw(v));
}
inline std::string npy_bool(const std::vector<bool>& v, std::vector<long long> shape) {
  std::string bytes;
  for (bool b : v) bytes += b ? '\1' : '\0';
  return npy("|b1", shape, bytes);
}

// A ZIP archive of stored (uncompressed) members "<name>.npy", written to `path`.
inline void write_npz(const std::filesystem::path& path,
                      const std::vector<std::pair<std::string, std::string>>& members) {
  std::string local, central;
  for (const auto& [key, data] : members) {
    const std::string name = key + ".npy";
    const auto crc = static_cast<std::uint32_t>(
        crc32_z(0, reinterpret_cast<const Bytef*>(data.data()), data.size()));
    const std::string common = le_bytes(20, 2) + le_bytes(0, 2) + le_bytes(0, 2) +
                               le_bytes(0, 4) + le_bytes(crc, 4) + le_bytes(data.size(), 4) +
                               le_bytes(data.size(), 4) + le_bytes(name.size(), 2) +
                               le_bytes(0, 2);
    central += le_bytes(0x02014b50, 4) + le_bytes(20, 2) + common + le_bytes(0, 2) +
               le_bytes(0, 2) + le_bytes(0, 2) + le_bytes(0, 4) + le_bytes(local.size(), 4) +
               name;
    local += le_bytes(0x04034b50, 4) + common + name + data;
  }
  const std::string end = le_bytes(0x06054b50, 4) + le_bytes(0, 2) + le_bytes(0, 2) +
                          le_bytes(members.size(), 2) + le_bytes(members.size(), 2) +
                          le_bytes(central.size(), 4) + le_bytes(local.size(), 4) +
                          le_bytes(0, 2);
  std::ofstream(path, std::ios::binary) << local << central << end;
}

}  // namespace moegnn::datasets::testing
