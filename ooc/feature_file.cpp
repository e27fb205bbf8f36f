// SPDX-License-Identifier: Apache-2.0
// Header parsers for the two feature-file formats (npy 1.0/2.0/3.0; the moegnn cache container's
// 128-byte header and 64-byte section table, little-endian).
#include "ooc/feature_file.h"

#include <array>
#include <cstring>
#include <fstream>
#include <regex>
#include <string_view>
#include <vector>

#include <sys/stat.h>

#include "core/error.h"

namespace moegnn::ooc {
namespace {

template <typename... Parts>
[[noreturn]] void fail(const std::filesystem::path& path, const Parts&... parts) {
  MOEGNN_FAIL(IoError, "open_feature_file", path.string(), ": ", parts...);
}

std::string read_prefix(const std::filesystem::path& path, std::size_t bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot open (missing or unreadable)");
  std::string s(bytes, '\0');
  in.read(s.data(), static_cast<std::streamsize>(bytes));
  s.resize(static_cast<std::size_t>(in.gcount()));
  return s;
}

template <typename T>
T load(const std::string& s, std::size_t at) {
  T v{};
  std::memcpy(&v, s.data() + at, sizeof(T));
  return v;
}

void parse_npy(FeatureFile& f, const std::string& head) {
  if (head.size() < 10) fail(f.path, "npy header truncated");
  const int major = static_cast<unsigned char>(head[6]);
  std::size_t len = 0, start = 0;
  if (major == 1) {
    len = load<std::uint16_t>(head, 8);
    start = 10;
  } else if (major == 2 || major == 3) {
    if (head.size() < 12) fail(f.path, "npy header truncated");
    len = load<std::uint32_t>(head, 8);
    start = 12;
  } else {
    fail(f.path, "npy version ", major, " vs 1, 2 or 3");
  }
  if (start + len > head.size()) fail(f.path, "npy header truncated or longer than 64 KiB");
  const std::string dict = head.substr(start, len);
  std::smatch m;
  if (!std::regex_search(dict, m, std::regex(R"('descr'\s*:\s*'([^']*)')")))
    fail(f.path, "npy header without 'descr'");
  const std::string descr = m[1];
  if (descr != "<f4" && descr != "=f4")
    MOEGNN_FAIL(Unsupported, "open_feature_file", f.path.string(), ": dtype ", descr,
                " vs '<f4' (float32); convert the table to float32 first");
  if (std::regex_search(dict, std::regex(R"('fortran_order'\s*:\s*True)")))
    fail(f.path, "Fortran-order array vs C order (rows contiguous)");
  if (!std::regex_search(dict, m, std::regex(R"('shape'\s*:\s*\(\s*(\d+)\s*,\s*(\d+)\s*,?\s*\))")))
    fail(f.path, "npy shape is not 2-D (rows, cols): ", dict);
  f.rows = std::stoll(m[1]);
  f.cols = std::stoll(m[2]);
  f.data_offset = start + len;
  f.format = "npy";
}

void parse_container(FeatureFile& f, const std::string& head) {
  if (head.size() < 128) fail(f.path, "cache header truncated");
  const auto sections = load<std::uint64_t>(head, 16);
  const auto table = load<std::uint64_t>(head, 24);
  if (table != 128 || sections > 4096 || table + sections * 64 > head.size())
    fail(f.path, "cache section table out of range");
  for (std::uint64_t i = 0; i < sections; ++i) {
    const std::size_t at = static_cast<std::size_t>(table + i * 64);
    const std::string name(head.data() + at, strnlen(head.data() + at, 32));
    if (name != "features") continue;
    if (load<std::uint32_t>(head, at + 32) != 1)
      MOEGNN_FAIL(Unsupported, "open_feature_file", f.path.string(),
                  ": the features section is not float32");
    f.rows = load<std::int64_t>(head, at + 40);
    f.cols = load<std::int64_t>(head, at + 48);
    f.data_offset = load<std::uint64_t>(head, at + 56);
    f.format = "moegnn-cache";
    return;
  }
  fail(f.path, "cache without a 'features' section");
}

}  // namespace

FeatureFile open_feature_file(const std::filesystem::path& path) {
  FeatureFile f;
  f.path = std::filesystem::absolute(path);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) fail(path, "cannot stat (missing?)");
  f.file_bytes = static_cast<std::uint64_t>(st.st_size);
  f.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  f.inode = static_cast<std::uint64_t>(st.st_ino);
  const std::string head = read_prefix(path, std::size_t{1} << 16);
  if (head.size() >= 6 && head.compare(0, 6, "\x93NUMPY") == 0) {
    parse_npy(f, head);
  } else if (head.size() >= 8 && std::memcmp(head.data(), "MOEGNND\0", 8) == 0) {
    parse_container(f, head);
  } else {
    fail(path, "neither a .npy file nor a moegnn binary cache (unknown magic)");
  }
  if (f.rows < 1 || f.cols < 1) fail(path, "empty feature table");
  const std::uint64_t need = f.data_offset + static_cast<std::uint64_t>(f.rows) * f.row_bytes();
  if (f.file_bytes < need)
    fail(path, "truncated: ", f.file_bytes, " bytes vs ", need, " for ", f.rows, " x ", f.cols,
         " float32 rows; regenerate or re-copy the file");
  return f;
}

}  // namespace moegnn::ooc
