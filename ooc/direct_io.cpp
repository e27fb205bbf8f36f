// SPDX-License-Identifier: Apache-2.0
// DirectFile over open(O_DIRECT)/pread, AlignedBuffer over aligned_alloc, and the engine factory.
#include "ooc/direct_io.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "ooc/detail/engines.h"

namespace moegnn::ooc {

void AlignedBuffer::Free::operator()(std::byte* p) const { std::free(p); }

AlignedBuffer::AlignedBuffer(std::size_t bytes) { reserve(bytes); }

void AlignedBuffer::reserve(std::size_t bytes) {
  if (bytes <= size_ && data_) return;
  const std::size_t size = align_up(std::max<std::size_t>(bytes, 1));
  auto* p = static_cast<std::byte*>(std::aligned_alloc(kDirectAlign, size));
  if (p == nullptr) throw std::bad_alloc();
  data_.reset(p);
  size_ = size;
}

DirectFile::DirectFile(const std::filesystem::path& path, bool direct) : path_(path) {
  if (direct) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_DIRECT);
    direct_ = fd_ >= 0;
  }
  if (fd_ < 0 && (!direct || errno == EINVAL)) fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  MOEGNN_CHECK_AS(IoError, "DirectFile", fd_ >= 0, path.string(),
                  ": cannot open for reading: ", std::strerror(errno));
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    const int e = errno;
    ::close(fd_);
    MOEGNN_FAIL(IoError, "DirectFile", path.string(), ": cannot stat: ", std::strerror(e));
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
}

DirectFile::~DirectFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t DirectFile::read_aligned(std::uint64_t offset, std::size_t bytes,
                                     std::byte* dst) const {
  std::size_t done = 0;
  while (done < bytes) {
    const ssize_t n = ::pread(fd_, dst + done, bytes - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    MOEGNN_CHECK_AS(IoError, "DirectFile::read", n >= 0, path_.string(), ": read of ", bytes,
                    " bytes at offset ", offset, " failed: ", std::strerror(errno));
    if (n == 0) break;  // end of file
    done += static_cast<std::size_t>(n);
    if (direct_ && done % kDirectAlign != 0) break;  // a partial block: the end of the file
  }
  counters_.bytes += done;
  counters_.requests += 1;
  return done;
}

namespace detail {

void check_read(const ReadRequest& r, long long result) {
  MOEGNN_CHECK_AS(IoError, "IoEngine::read", result >= 0, r.file->path().string(), ": read of ",
                  r.bytes, " bytes at offset ", r.offset,
                  " failed: ", std::strerror(static_cast<int>(-result)));
  MOEGNN_CHECK_AS(IoError, "IoEngine::read", static_cast<std::size_t>(result) >= r.needed,
                  r.file->path().string(), ": short read at offset ", r.offset, ": ", result,
                  " bytes vs ", r.needed, " needed (the file is truncated)");
}

}  // namespace detail

std::unique_ptr<IoEngine> make_io_engine(IoEngineKind kind, int depth) {
  MOEGNN_CHECK_AS(InvalidArgument, "make_io_engine", depth >= 1, "depth is ", depth, " vs >= 1");
  if (kind != IoEngineKind::Pread) {
    if (auto uring = detail::make_uring_engine(depth)) return uring;
    MOEGNN_CHECK_AS(Unsupported, "make_io_engine", kind == IoEngineKind::Auto,
                    "io_uring requested but unavailable (built without liburing, or the kernel "
                    "refused a ring); use the pread engine");
  }
  return detail::make_pread_engine(std::min(depth, 16));
}

}  // namespace moegnn::ooc
