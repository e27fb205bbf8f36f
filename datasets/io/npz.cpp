// SPDX-License-Identifier: Apache-2.0
// .npz = ZIP of .npy members; keys as numpy.load names them.
#include "datasets/io/npz.h"

#include <algorithm>

#include "core/error.h"
#include "datasets/io/file.h"
#include "datasets/io/npy.h"
#include "datasets/io/zip_archive.h"

namespace moegnn::datasets::io {
namespace {

std::string key_of(const std::string& member) {
  constexpr std::string_view kSuffix = ".npy";
  if (member.size() > kSuffix.size() && member.ends_with(kSuffix))
    return member.substr(0, member.size() - kSuffix.size());
  return member;
}

// Decodes the members whose keys pass `wanted`; throws IoError on a duplicate key.
template <typename Wanted>
std::map<std::string, NpyArray> decode(const ZipArchive& zip, const NpzOptions& options,
                                       Wanted&& wanted) {
  std::map<std::string, NpyArray> out;
  for (const ZipEntry& e : zip.entries()) {
    const std::string key = key_of(e.name);
    if (!wanted(key)) continue;
    MOEGNN_CHECK_AS(IoError, "read_npz", out.count(key) == 0, zip.source(), ": member '", e.name,
                    "' appears twice vs unique keys");
    out.emplace(key, parse_npy(zip.extract(e, options.max_member_bytes),
                               zip.source() + ":" + e.name));
  }
  return out;
}

}  // namespace

std::map<std::string, NpyArray> parse_npz(std::string bytes, const std::string& source,
                                          const NpzOptions& options) {
  const ZipArchive zip(std::move(bytes), source);
  return decode(zip, options, [](const std::string&) { return true; });
}

std::map<std::string, NpyArray> read_npz(const std::filesystem::path& path,
                                         const NpzOptions& options) {
  return parse_npz(read_file(path), path.string(), options);
}

std::map<std::string, NpyArray> read_npz(const std::filesystem::path& path,
                                         const std::vector<std::string>& keys,
                                         const NpzOptions& options) {
  const ZipArchive zip(read_file(path), path.string());
  auto out = decode(zip, options, [&](const std::string& key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  });
  for (const std::string& key : keys) {
    MOEGNN_CHECK_AS(IoError, "read_npz", out.count(key) == 1, path.string(), ": no member '", key,
                    "' vs the ", zip.entries().size(), " members of the archive");
  }
  return out;
}

std::vector<std::string> list_npz(const std::filesystem::path& path) {
  const ZipArchive zip(read_file(path), path.string());
  std::vector<std::string> keys;
  for (const ZipEntry& e : zip.entries()) keys.push_back(key_of(e.name));
  return keys;
}

}  // namespace moegnn::datasets::io
