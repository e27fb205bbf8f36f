// SPDX-License-Identifier: Apache-2.0
// AtomicFile over POSIX open/write/fsync/rename.
#include "datasets/atomic_file.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <unistd.h>

#include "core/error.h"

namespace moegnn::datasets {

AtomicFile::AtomicFile(std::filesystem::path target, std::filesystem::path temporary)
    : target_(std::move(target)),
      temporary_(std::move(temporary)) {
  std::error_code error;
  if (temporary_.has_parent_path())
    std::filesystem::create_directories(temporary_.parent_path(), error);
  fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  MOEGNN_CHECK_AS(IoError, "AtomicFile", fd_ >= 0, temporary_.string(),
                  ": cannot create: ", std::strerror(errno));
}

AtomicFile::AtomicFile(std::filesystem::path target)
    : AtomicFile(target, std::filesystem::path(target.string() + ".part")) {}

AtomicFile::~AtomicFile() {
  if (!done_) discard();
}

void AtomicFile::write(const void* data, std::size_t bytes) {
  MOEGNN_CHECK_AS(IoError, "AtomicFile::write", !done_ && fd_ >= 0, temporary_.string(),
                  ": already closed vs open");
  const char* p = static_cast<const char*>(data);
  while (bytes > 0) {
    const ssize_t n = ::write(fd_, p, std::min<std::size_t>(bytes, std::size_t{1} << 30));
    if (n < 0 && errno == EINTR) continue;
    MOEGNN_CHECK_AS(IoError, "AtomicFile::write", n > 0, temporary_.string(),
                    ": write failed: ", n < 0 ? std::strerror(errno) : "no progress");
    p += n;
    bytes -= static_cast<std::size_t>(n);
    written_ += static_cast<std::size_t>(n);
  }
}

void AtomicFile::pad_to(std::size_t alignment) {
  static const std::array<char, 64> zeros{};
  std::size_t pad = (alignment - written_ % alignment) % alignment;
  while (pad > 0) {
    const std::size_t chunk = std::min(pad, zeros.size());
    write(zeros.data(), chunk);
    pad -= chunk;
  }
}

void AtomicFile::write_at(std::uint64_t offset, const void* data, std::size_t bytes) {
  MOEGNN_CHECK_AS(IoError, "AtomicFile::write_at", !done_ && fd_ >= 0, temporary_.string(),
                  ": already closed vs open");
  const char* p = static_cast<const char*>(data);
  while (bytes > 0) {
    const ssize_t n = ::pwrite(fd_, p, std::min<std::size_t>(bytes, std::size_t{1} << 30),
                               static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    MOEGNN_CHECK_AS(IoError, "AtomicFile::write_at", n > 0, temporary_.string(),
                    ": write of ", bytes, " bytes at offset ", offset,
                    " failed: ", n < 0 ? std::strerror(errno) : "no progress");
    p += n;
    bytes -= static_cast<std::size_t>(n);
    offset += static_cast<std::uint64_t>(n);
    written_ = std::max<std::size_t>(written_, static_cast<std::size_t>(offset));
  }
}

void AtomicFile::commit() {
  MOEGNN_CHECK_AS(IoError, "AtomicFile::commit", !done_ && fd_ >= 0, temporary_.string(),
                  ": already closed vs open");
  const bool synced = ::fsync(fd_) == 0;
  const int sync_errno = errno;
  const bool closed = ::close(fd_) == 0;
  fd_ = -1;
  if (!synced || !closed) {
    discard();
    MOEGNN_FAIL(IoError, "AtomicFile::commit", temporary_.string(), ": ",
                synced ? "close" : "fsync",
                " failed: ", std::strerror(synced ? errno : sync_errno));
  }
  if (::rename(temporary_.c_str(), target_.c_str()) != 0) {
    const int rename_errno = errno;
    discard();
    MOEGNN_FAIL(IoError, "AtomicFile::commit", target_.string(), ": rename from ",
                temporary_.string(), " failed: ", std::strerror(rename_errno));
  }
  done_ = true;
  // Persist the directory entry; filesystems without directory fsync just return an error.
  const std::filesystem::path dir = target_.has_parent_path() ? target_.parent_path() : ".";
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

void AtomicFile::discard() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!done_) ::unlink(temporary_.c_str());
  done_ = true;
}

std::filesystem::path temporary_name(const std::filesystem::path& target) {
  static std::atomic<unsigned> counter{0};
  std::string name = ".";
  name.append(target.filename().string()).append(".tmp.").append(std::to_string(::getpid()));
  name.append(".").append(std::to_string(counter++));
  std::filesystem::path tmp = target;
  tmp.replace_filename(name);
  return tmp;
}

}  // namespace moegnn::datasets
