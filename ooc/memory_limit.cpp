// SPDX-License-Identifier: Apache-2.0
#include "ooc/memory_limit.h"

#include <charconv>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/error.h"

namespace moegnn::ooc {
namespace {

std::optional<std::uint64_t> parse_u64(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
  std::uint64_t v = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (error != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::optional<std::string> read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void consider(std::optional<MemoryLimit>& best, std::uint64_t bytes, std::string source) {
  if (!best || bytes < best->bytes) best = MemoryLimit{bytes, std::move(source)};
}

// The cgroup's folder and each ancestor up to the mount root: their limits all apply.
void walk_up(const std::filesystem::path& mount, const std::string& group, const char* file,
             std::optional<MemoryLimit>& best) {
  std::filesystem::path rel = std::filesystem::path(group).relative_path();
  for (;;) {
    const std::filesystem::path path = mount / rel / file;
    if (const auto text = read_text(path)) {
      if (const auto v = parse_u64(*text)) consider(best, *v, path.string());  // "max": none
    }
    if (rel.empty()) break;
    rel = rel.parent_path();
  }
}

}  // namespace

std::optional<MemoryLimit> memory_limit(const std::filesystem::path& root) {
  std::optional<MemoryLimit> best;
  if (const auto meminfo = read_text(root / "proc/meminfo")) {
    std::istringstream lines(*meminfo);
    std::string key, unit;
    std::uint64_t kib = 0;
    while (lines >> key >> kib) {
      std::getline(lines, unit);
      if (key == "MemTotal:") {
        consider(best, kib * 1024, (root / "proc/meminfo").string() + " MemTotal");
        break;
      }
    }
  }
  if (const auto cgroups = read_text(root / "proc/self/cgroup")) {
    std::istringstream lines(*cgroups);
    std::string line;
    while (std::getline(lines, line)) {  // "<id>:<controllers>:<path>"
      const auto a = line.find(':');
      const auto b = a == std::string::npos ? a : line.find(':', a + 1);
      if (b == std::string::npos) continue;
      const std::string controllers = line.substr(a + 1, b - a - 1);
      const std::string group = line.substr(b + 1);
      if (line.compare(0, a, "0") == 0 && controllers.empty()) {
        walk_up(root / "sys/fs/cgroup", group, "memory.max", best);  // v2 (unified)
        walk_up(root / "sys/fs/cgroup/unified", group, "memory.max", best);  // hybrid layout
      }
      std::istringstream names(controllers);
      for (std::string name; std::getline(names, name, ',');)
        if (name == "memory")
          walk_up(root / "sys/fs/cgroup/memory", group, "memory.limit_in_bytes", best);  // v1
    }
  }
  return best;
}

void check_fits_in_memory(std::uint64_t bytes, std::string_view what,
                          const std::optional<MemoryLimit>& limit, const char* function) {
  if (!limit) return;
  MOEGNN_CHECK_AS(InvalidArgument, function, bytes <= limit->bytes, what, " needs ", bytes,
                  " bytes vs a memory limit of ", limit->bytes, " bytes (", limit->source,
                  "); it cannot be loaded into memory: train out of core (--features pack) or "
                  "raise the limit");
}

}  // namespace moegnn::ooc
