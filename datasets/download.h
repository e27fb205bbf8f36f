// SPDX-License-Identifier: Apache-2.0
// Verified downloads of dataset files over HTTP(S) with libcurl (kept out of this header). A file
// is streamed into "<dest>.part" while its SHA-256 is computed, checked against the expected
// digest, fsynced and only then renamed to <dest>; on any failure the .part file is removed, so an
// interrupted or corrupt download never leaves a file that looks complete. A progress bar goes to
// stderr only when stderr is a terminal. ZIP releases (OGB, MovieLens) are downloaded the same
// way and unpacked with datasets/io/zip_archive.h, each member verified when its digest is known.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace moegnn::datasets {

struct DownloadOptions {
  long connect_timeout_s = 30;    // give up connecting after this long
  long low_speed_time_s = 60;     // abort a transfer that moves < 1 byte/s for this long
  long timeout_s = 0;             // whole-transfer limit; 0 = none
  bool progress = true;           // progress bar on stderr (only when stderr is a terminal)
  bool allow_unverified = false;  // accept files whose SHA-256 is not known
  // Stop a transfer of a file whose size is not declared after this many bytes (a server that
  // never ends); a declared size caps the transfer at that size instead.
  std::uint64_t max_bytes = std::uint64_t{64} << 30;
};

// Downloads `url` (http or https, redirects followed) to `dest`, creating its folder. `sha256`:
// the expected digest in hex; empty means unknown, which throws IoError unless
// options.allow_unverified. Throws IoError naming the URL on a connection failure, an HTTP status
// >= 400, a short transfer, a digest mismatch or a write failure; neither dest nor dest.part
// exists afterwards in those cases. An existing dest is replaced only after verification.
// `size`: the size the registry declares (0: unknown, capped by options.max_bytes); the transfer
// stops with IoError as soon as the server announces or sends more, so a wrong or hostile mirror
// cannot fill the disk.
void download_file(const std::string& url, const std::filesystem::path& dest,
                   std::string_view sha256, const DownloadOptions& options = {},
                   std::uint64_t size = 0);

// Unpacks the ZIP at `zip_path` into `dest_dir`: every file member whose name starts with
// `strip_prefix` is written to dest_dir / (name without the prefix), through a .part file, and
// verified against `digests` (relative path -> sha256) when listed there. Throws IoError for a
// corrupt archive, a member name that escapes dest_dir (absolute or with ".."), a digest mismatch
// or a digest-listed file that the archive lacks; members written before the error stay.
void extract_zip(const std::filesystem::path& zip_path, const std::filesystem::path& dest_dir,
                 std::string_view strip_prefix, const std::map<std::string, std::string>& digests);

}  // namespace moegnn::datasets
