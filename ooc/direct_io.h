// SPDX-License-Identifier: Apache-2.0
// Direct (page-cache-bypassing) reads for the out-of-core path. DirectFile opens a file with
// O_DIRECT (falling back to buffered reads on filesystems that refuse it, e.g. tmpfs, and saying
// so) and counts every byte it reads, so read amplification is measured, not estimated. Reads are
// issued in batches through an IoEngine: io_uring (liburing) when the build found it, else a pool
// of threads calling pread. Offsets, lengths and buffers of a request are multiples of kDirectAlign.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

namespace moegnn::ooc {

inline constexpr std::size_t kDirectAlign = 4096;

inline std::uint64_t align_down(std::uint64_t x) { return x / kDirectAlign * kDirectAlign; }
inline std::uint64_t align_up(std::uint64_t x) {
  return (x + kDirectAlign - 1) / kDirectAlign * kDirectAlign;
}

// A kDirectAlign-aligned heap buffer (contents uninitialised).
class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  explicit AlignedBuffer(std::size_t bytes);
  std::byte* data() { return data_.get(); }
  const std::byte* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  // Grows to at least `bytes` (aligned up); keeps nothing.
  void reserve(std::size_t bytes);

 private:
  struct Free {
    void operator()(std::byte* p) const;
  };
  std::unique_ptr<std::byte, Free> data_;
  std::size_t size_ = 0;
};

// Byte and request counters (atomic: readers on several threads may share a file).
struct IoCounters {
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<std::uint64_t> requests{0};
};

class DirectFile {
 public:
  // Opens `path` read-only with O_DIRECT (buffered when the filesystem refuses O_DIRECT, or when
  // `direct` is false). Throws IoError naming the file when it cannot be opened.
  explicit DirectFile(const std::filesystem::path& path, bool direct = true);
  ~DirectFile();
  DirectFile(const DirectFile&) = delete;
  DirectFile& operator=(const DirectFile&) = delete;

  int fd() const { return fd_; }
  bool direct() const { return direct_; }
  std::uint64_t size() const { return size_; }
  const std::filesystem::path& path() const { return path_; }
  IoCounters& counters() const { return counters_; }

  // One aligned read of [offset, offset + bytes) into dst (aligned); returns the bytes read, which
  // are fewer only at the end of the file. Counts the bytes. Throws IoError naming the file.
  std::size_t read_aligned(std::uint64_t offset, std::size_t bytes, std::byte* dst) const;

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  bool direct_ = false;
  std::uint64_t size_ = 0;
  mutable IoCounters counters_;
};

// One read: `bytes` at `offset` of `file` into `dst`; at least `needed` bytes must arrive (the
// rest may lie past the end of the file). offset, bytes and dst are kDirectAlign-aligned.
struct ReadRequest {
  const DirectFile* file = nullptr;
  std::uint64_t offset = 0;
  std::size_t bytes = 0;
  std::size_t needed = 0;
  std::byte* dst = nullptr;
};

// Issues batches of reads. One engine is used by one thread at a time.
class IoEngine {
 public:
  virtual ~IoEngine() = default;
  // Completes every request (counting bytes on each request's file). Throws IoError naming the
  // file and offset of a failed or short read.
  virtual void read(std::span<const ReadRequest> requests) = 0;
  virtual std::string name() const = 0;
};

enum class IoEngineKind { Auto, Uring, Pread };

// Auto: io_uring when built with liburing and the kernel allows it, else the pread pool. Uring
// throws Unsupported when unavailable. `depth`: requests in flight (ring size / pool threads).
std::unique_ptr<IoEngine> make_io_engine(IoEngineKind kind = IoEngineKind::Auto, int depth = 64);

}  // namespace moegnn::ooc
