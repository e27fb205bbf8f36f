// SPDX-License-Identifier: Apache-2.0
// Digest verification with a per-file cache (see digest_cache.h). The cache file is a list of
// "<size>\t<mtime ns>\t<sha256>\t<absolute path>" lines, replaced atomically; concurrent writers
// may drop each other's new lines, which only costs a hash later.
#include "datasets/detail/digest_cache.h"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string_view>

#include "core/error.h"
#include "datasets/detail/atomic_file.h"
#include "datasets/io/file.h"
#include "datasets/sha256.h"

namespace moegnn::datasets::detail {
namespace {

constexpr const char* kCacheName = "sha256-cache.tsv";

struct Stamp {
  std::uintmax_t size = 0;
  std::int64_t mtime = 0;
  bool operator==(const Stamp&) const = default;
};

struct Known {
  Stamp stamp;
  std::string digest;
};

using Table = std::map<std::string, Known>;

std::mutex& memo_mutex() {
  static std::mutex m;
  return m;
}
Table& memo() {
  static Table t;
  return t;
}

bool parse_int(std::string_view text, auto& out) {
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

// The cache file's entries; a missing or malformed file (or line) is skipped, never an error.
Table read_cache(const std::filesystem::path& file) {
  Table table;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    std::string_view rest(line);
    std::string_view fields[3];
    bool ok = true;
    for (std::string_view& f : fields) {
      const std::size_t tab = rest.find('\t');
      if (tab == std::string_view::npos) ok = false;
      if (!ok) break;
      f = rest.substr(0, tab);
      rest.remove_prefix(tab + 1);
    }
    Known k;
    if (!ok || !parse_int(fields[0], k.stamp.size) || !parse_int(fields[1], k.stamp.mtime) ||
        !is_sha256_hex(fields[2]) || rest.empty())
      continue;
    k.digest = std::string(fields[2]);
    table[std::string(rest)] = std::move(k);
  }
  return table;
}

// Adds one entry to the cache file; any failure (read-only or missing home) is ignored.
void write_cache(const std::filesystem::path& dir, const std::string& key, const Known& k) {
  if (dir.empty()) return;
  try {
    const std::filesystem::path file = dir / kCacheName;
    Table table = read_cache(file);
    table[key] = k;
    std::ostringstream text;
    for (const auto& [path, e] : table)
      text << e.stamp.size << '\t' << e.stamp.mtime << '\t' << e.digest << '\t' << path << '\n';
    AtomicFile out(file, temporary_name(file));
    out.write(text.str());
    out.commit();
  } catch (const std::exception&) {
    // Not writable: the next process hashes the file again, which is correct, only slower.
  }
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::filesystem::path default_digest_cache_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg != nullptr && *xdg != '\0') return std::filesystem::path(xdg) / "moegnn";
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0')
    return std::filesystem::path(home) / ".cache" / "moegnn";
  return {};
}

void verify_file_digest(const std::filesystem::path& path, const std::string& expected,
                        const std::filesystem::path& cache_dir) {
  // 1. The file's identity: absolute path, size and mtime (nanoseconds).
  io::require_regular_file(path, "verify_file_digest");
  std::error_code ec;
  const std::string key = std::filesystem::absolute(path, ec).lexically_normal().string();
  const Stamp stamp{std::filesystem::file_size(path, ec),
                    static_cast<std::int64_t>(
                        std::filesystem::last_write_time(path, ec).time_since_epoch().count())};
  // 2. Its digest: remembered in this process, in the cache file, or computed (and remembered).
  std::string digest;
  {
    const std::lock_guard lock(memo_mutex());
    const auto it = memo().find(key);
    if (it != memo().end() && it->second.stamp == stamp) digest = it->second.digest;
  }
  if (digest.empty() && !cache_dir.empty()) {
    const Table cached = read_cache(cache_dir / kCacheName);
    const auto it = cached.find(key);
    if (it != cached.end() && it->second.stamp == stamp) digest = it->second.digest;
  }
  if (digest.empty()) {
    digest = sha256_file(path);
    write_cache(cache_dir, key, {stamp, digest});
  }
  {
    const std::lock_guard lock(memo_mutex());
    memo()[key] = {stamp, digest};
  }
  // 3. The verdict.
  MOEGNN_CHECK_AS(IoError, "verify_file_digest", lower(digest) == lower(expected), path.string(),
                  ": SHA-256 is ", digest, " vs ", lower(expected),
                  " recorded for the official file; the file is corrupt or altered: delete it and "
                  "download it again (or restore the official file)");
}

void forget_digest_memo() {
  const std::lock_guard lock(memo_mutex());
  memo().clear();
}

}  // namespace moegnn::datasets::detail
