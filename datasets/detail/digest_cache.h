// SPDX-License-Identifier: Apache-2.0
// Verifying dataset files against their recorded SHA-256 on every load without hashing them on
// every load (private to the module). A file's digest is remembered per (absolute path, size,
// mtime) in process memory and in <cache dir>/sha256-cache.tsv. The cache lives outside the data
// directory, which may be read-only (CI mounts ../shared without write bits); when the cache
// folder cannot be written the digest is simply computed again in the next process. The cache
// stores the digest it computed, never a verdict, so a recorded mismatch is reported as such.
#pragma once

#include <filesystem>
#include <string>

namespace moegnn::datasets::detail {

// $XDG_CACHE_HOME/moegnn when XDG_CACHE_HOME is set and non-empty, else $HOME/.cache/moegnn;
// empty when neither is set (then only the in-process memo is used).
std::filesystem::path default_digest_cache_dir();

// Throws IoError unless the SHA-256 of the file at `path` is `expected` (64 hex digits); the
// message names the file, both digests and what to do. The digest is computed at most once per
// (size, mtime) of the file: remembered in memory and, when `cache_dir` is non-empty and
// writable, in cache_dir/sha256-cache.tsv. Throws IoError when the file cannot be read.
void verify_file_digest(const std::filesystem::path& path, const std::string& expected,
                        const std::filesystem::path& cache_dir);

// Forgets the in-process memo, so the next verify_file_digest consults the cache file (a fresh
// process, for tests).
void forget_digest_memo();

}  // namespace moegnn::datasets::detail
