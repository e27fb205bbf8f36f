// SPDX-License-Identifier: Apache-2.0
// download_file over libcurl's easy interface and extract_zip over io::ZipArchive. The write
// callback appends each received block to an AtomicFile and to the running SHA-256, so a file is
// read once; the digest is compared before the rename that makes the file visible.
#include "datasets/download.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include <curl/curl.h>
#include <fmt/core.h>
#include <unistd.h>

#include "core/error.h"
#include "datasets/detail/atomic_file.h"
#include "datasets/io/file.h"
#include "datasets/io/zip_archive.h"
#include "datasets/sha256.h"

namespace moegnn::datasets {
namespace {

void global_init() {
  static std::once_flag once;
  static CURLcode code = CURLE_OK;
  std::call_once(once, [] { code = curl_global_init(CURL_GLOBAL_DEFAULT); });
  MOEGNN_CHECK_AS(IoError, "download_file", code == CURLE_OK,
                  "curl_global_init failed: ", curl_easy_strerror(code), " vs CURLE_OK");
}

// What the libcurl callbacks see.
struct Transfer {
  detail::AtomicFile* file = nullptr;
  Sha256* sha = nullptr;
  std::string error{};  // set when a write fails (the callback must not throw through C code)
  std::string label{};  // file name on the progress bar
  std::uint64_t limit = 0;     // bytes the file may have
  bool declared = false;       // limit is the registry's size (else DownloadOptions::max_bytes)
  std::uint64_t received = 0;
  std::chrono::steady_clock::time_point last_draw{};
  bool drew = false;
};

std::size_t on_data(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  if (t->received + bytes > t->limit) {
    t->error = "the server sent more than ";
    t->error += std::to_string(t->limit);
    t->error += t->declared ? " bytes vs the size the registry declares; the file changed "
                              "upstream or the mirror serves another file (nothing was kept)"
                            : " bytes vs DownloadOptions::max_bytes (nothing was kept)";
    return 0;
  }
  t->received += bytes;
  try {
    t->file->write(data, bytes);
    t->sha->update(data, bytes);
  } catch (const std::exception& e) {
    t->error = e.what();
    return 0;  // makes curl_easy_perform fail with CURLE_WRITE_ERROR
  }
  return bytes;
}

int on_progress(void* user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  const auto time = std::chrono::steady_clock::now();
  if (t->drew && time - t->last_draw < std::chrono::milliseconds(100) && now != total) return 0;
  t->last_draw = time;
  t->drew = true;
  const double mb = static_cast<double>(now) / 1e6;
  if (total > 0) {
    const int percent = static_cast<int>(100 * now / total);
    const int filled = std::clamp(percent * 30 / 100, 0, 30);
    fmt::print(stderr, "\r{} [{}{}] {:3}% {:.1f}/{:.1f} MB", t->label,
               std::string(static_cast<std::size_t>(filled), '#'),
               std::string(static_cast<std::size_t>(30 - filled), ' '), percent, mb,
               static_cast<double>(total) / 1e6);
  } else {
    fmt::print(stderr, "\r{} {:.1f} MB", t->label, mb);
  }
  return 0;
}

struct EasyHandle {
  CURL* curl = curl_easy_init();
  ~EasyHandle() { curl_easy_cleanup(curl); }
};

// Runs the transfer of `url` into `t`; throws IoError naming the URL on failure.
void perform(const std::string& url, Transfer& t, const DownloadOptions& options) {
  EasyHandle h;
  MOEGNN_CHECK_AS(IoError, "download_file", h.curl != nullptr, url,
                  ": curl_easy_init failed vs a handle");
  char message[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(h.curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h.curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h.curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h.curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h.curl, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(h.curl, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(h.curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h.curl, CURLOPT_USERAGENT, "moegnn-datasets/0.1");
  curl_easy_setopt(h.curl, CURLOPT_ERRORBUFFER, message);
  curl_easy_setopt(h.curl, CURLOPT_CONNECTTIMEOUT, options.connect_timeout_s);
  curl_easy_setopt(h.curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(h.curl, CURLOPT_LOW_SPEED_TIME, options.low_speed_time_s);
  curl_easy_setopt(h.curl, CURLOPT_TIMEOUT, options.timeout_s);
  // A Content-Length above the limit fails before any byte is written (CURLE_FILESIZE_EXCEEDED).
  curl_easy_setopt(h.curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(t.limit));
  curl_easy_setopt(h.curl, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(h.curl, CURLOPT_WRITEDATA, &t);
  const bool bar = options.progress && ::isatty(STDERR_FILENO) == 1;
  curl_easy_setopt(h.curl, CURLOPT_NOPROGRESS, bar ? 0L : 1L);
  if (bar) {
    curl_easy_setopt(h.curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h.curl, CURLOPT_XFERINFODATA, &t);
  }
  const CURLcode code = curl_easy_perform(h.curl);
  if (t.drew) fmt::print(stderr, "\n");
  long status = 0;
  curl_easy_getinfo(h.curl, CURLINFO_RESPONSE_CODE, &status);
  if (code == CURLE_HTTP_RETURNED_ERROR)
    MOEGNN_FAIL(IoError, "download_file", url, ": HTTP status ", status, " vs 200");
  if (code == CURLE_FILESIZE_EXCEEDED)
    MOEGNN_FAIL(IoError, "download_file", url, ": the server announces more than ", t.limit,
                t.declared ? " bytes vs the size the registry declares; the file changed upstream "
                             "or the mirror serves another file"
                           : " bytes vs DownloadOptions::max_bytes");
  if (code == CURLE_WRITE_ERROR && !t.error.empty())
    MOEGNN_FAIL(IoError, "download_file", url, ": ", t.error);
  MOEGNN_CHECK_AS(IoError, "download_file", code == CURLE_OK, url,
                  ": transfer failed: ", message[0] != '\0' ? message : curl_easy_strerror(code),
                  " (curl code ", static_cast<int>(code), ") vs a complete transfer");
}

}  // namespace

void download_file(const std::string& url, const std::filesystem::path& dest,
                   std::string_view sha256, const DownloadOptions& options, std::uint64_t size) {
  MOEGNN_CHECK_AS(IoError, "download_file", sha256.empty() || is_sha256_hex(sha256), url,
                  ": expected digest '", sha256, "' vs 64 hex digits");
  MOEGNN_CHECK_AS(IoError, "download_file", !sha256.empty() || options.allow_unverified, url,
                  ": no SHA-256 is known for this file vs a pinned digest; download it by hand "
                  "into ",
                  dest.string(), " or allow unverified downloads");
  global_init();
  detail::AtomicFile file(dest);
  Sha256 sha;
  Transfer t{.file = &file,
             .sha = &sha,
             .label = dest.filename().string(),
             .limit = size > 0 ? size : options.max_bytes,
             .declared = size > 0};
  perform(url, t, options);
  MOEGNN_CHECK_AS(IoError, "download_file", size == 0 || t.received == size, url, ": got ",
                  t.received, " bytes vs the ", size,
                  " the registry declares (a short transfer; nothing was kept)");
  std::string got = sha.hex_digest();
  std::string want(sha256);
  for (char& c : want) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  MOEGNN_CHECK_AS(IoError, "download_file", want.empty() || got == want, url,
                  ": SHA-256 mismatch: ", got, " vs ", want,
                  "; the download is corrupt or the file changed upstream (nothing was kept)");
  file.commit();
}

namespace {

// The member's path below dest_dir, or empty when it is not wanted (folder, other prefix).
// Throws IoError for names that would escape dest_dir.
std::filesystem::path member_path(const std::string& name, std::string_view prefix,
                                  const std::string& source) {
  if (name.rfind(prefix, 0) != 0 || name.empty() || name.back() == '/') return {};
  const std::filesystem::path relative(name.substr(prefix.size()));
  bool escapes = relative.empty() || relative.is_absolute();
  for (const auto& part : relative) escapes = escapes || part == "..";
  MOEGNN_CHECK_AS(IoError, "extract_zip", !escapes, source, ": member '", name,
                  "' escapes the target folder vs a relative path without '..'");
  return relative;
}

}  // namespace

void extract_zip(const std::filesystem::path& zip_path, const std::filesystem::path& dest_dir,
                 std::string_view strip_prefix, const std::map<std::string, std::string>& digests) {
  const io::ZipArchive zip(io::read_file(zip_path), zip_path.string());
  std::map<std::string, bool> seen;
  for (const io::ZipEntry& entry : zip.entries()) {
    const std::filesystem::path relative = member_path(entry.name, strip_prefix, zip.source());
    if (relative.empty()) continue;
    const std::string bytes = zip.extract(entry);
    const auto it = digests.find(relative.generic_string());
    if (it != digests.end()) {
      const std::string got = sha256_hex(bytes);
      MOEGNN_CHECK_AS(IoError, "extract_zip", got == it->second, zip.source(), ": member ",
                      entry.name, ": SHA-256 mismatch: ", got, " vs ", it->second);
      seen[it->first] = true;
    }
    detail::AtomicFile out(dest_dir / relative);
    out.write(bytes);
    out.commit();
  }
  for (const auto& [relative, digest] : digests)
    MOEGNN_CHECK_AS(IoError, "extract_zip", seen.count(relative) != 0, zip.source(),
                    ": no member for ", relative, " vs a member named ", strip_prefix, relative);
}

}  // namespace moegnn::datasets
