// SPDX-License-Identifier: Apache-2.0
// The memory this process may use, so that loading a whole feature table into memory (the
// in-memory baseline, online resampling) is refused with a message instead of being killed by
// the kernel's OOM killer when the table alone exceeds it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace moegnn::ooc {

struct MemoryLimit {
  std::uint64_t bytes = 0;
  std::string source;  // where it was read, e.g. "MemTotal (/proc/meminfo)" or a cgroup file
};

// The smallest of the machine's MemTotal and the memory limits of this process's cgroup and its
// ancestors (cgroup v2 memory.max, cgroup v1 memory.limit_in_bytes), read from /proc/self/cgroup,
// /proc/meminfo and /sys/fs/cgroup under `root` ("/" on a real system; tests pass a fake tree).
// nullopt when none of them can be read. Unreadable or absent files are skipped.
std::optional<MemoryLimit> memory_limit(const std::filesystem::path& root = "/");

// Throws InvalidArgument naming `function`, `what` and both sizes when `bytes` exceeds `limit`
// (nothing when the limit is unknown).
void check_fits_in_memory(std::uint64_t bytes, std::string_view what,
                          const std::optional<MemoryLimit>& limit, const char* function);

}  // namespace moegnn::ooc
