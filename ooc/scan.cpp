// SPDX-License-Identifier: Apache-2.0
#include "ooc/scan.h"

#include <algorithm>
#include <array>
#include <exception>
#include <thread>
#include <vector>

#include "ooc/detail/bounded_queue.h"

namespace moegnn::ooc {
namespace {

// One chunk's rows [r0, r1), read into a buffer that starts at the aligned offset `lo`.
struct Chunk {
  Index r0 = 0, r1 = 0;
  std::uint64_t lo = 0;
  int buffer = 0;
};

class ChunkReader {
 public:
  ChunkReader(const FeatureFile& file, const DirectFile& reader, IoEngine& engine,
              std::size_t request_bytes)
      : file_(file), reader_(reader), engine_(engine),
        request_bytes_(std::max<std::size_t>(kDirectAlign, align_down(request_bytes))) {}

  // Reads rows [r0, r1) into `into`, which holds them from the block containing row r0.
  std::uint64_t read(Index r0, Index r1, std::byte* into) {
    const std::uint64_t lo = align_down(file_.row_offset(r0));
    const std::uint64_t need_end = file_.row_offset(r1);
    const std::uint64_t hi = align_up(need_end);
    requests_.clear();
    for (std::uint64_t at = lo; at < hi; at += request_bytes_) {
      const std::size_t bytes =
          static_cast<std::size_t>(std::min<std::uint64_t>(request_bytes_, hi - at));
      const std::size_t needed =
          need_end > at ? static_cast<std::size_t>(std::min<std::uint64_t>(bytes, need_end - at)) : 0;
      requests_.push_back({&reader_, at, bytes, needed, into + (at - lo)});
    }
    engine_.read(requests_);
    return lo;
  }

 private:
  const FeatureFile& file_;
  const DirectFile& reader_;
  IoEngine& engine_;
  std::size_t request_bytes_;
  std::vector<ReadRequest> requests_;
};

}  // namespace

void scan_rows(const FeatureFile& file, const DirectFile& reader, IoEngine& engine,
               std::size_t chunk_bytes,
               const std::function<void(Index first, Index count, const float* rows)>& visit,
               std::size_t request_bytes) {
  const std::uint64_t rb = file.row_bytes();
  ChunkReader chunks(file, reader, engine, request_bytes);
  auto rows_of = [&](const AlignedBuffer& buffer, const Chunk& c) {
    return reinterpret_cast<const float*>(buffer.data() + (file.row_offset(c.r0) - c.lo));
  };

  // Two buffers when the budget holds two chunks of at least a row each: a reader thread fills
  // one while `visit` consumes the other, so the disk never waits for the visitor. Two buffers
  // of `per` rows (each plus its two boundary blocks) stay within chunk_bytes + 2 blocks.
  const std::size_t two = 2 * rb + 2 * kDirectAlign;
  if (chunk_bytes < two || file.rows <= 1) {
    const Index per = std::max<Index>(1, static_cast<Index>(chunk_bytes / rb));
    AlignedBuffer buffer(static_cast<std::size_t>(per) * rb + 2 * kDirectAlign);
    for (Index r0 = 0; r0 < file.rows; r0 += per) {
      Chunk c{r0, std::min(file.rows, r0 + per), 0, 0};
      c.lo = chunks.read(c.r0, c.r1, buffer.data());
      visit(c.r0, c.r1 - c.r0, rows_of(buffer, c));
    }
    return;
  }
  const Index per = static_cast<Index>((chunk_bytes - 2 * kDirectAlign) / (2 * rb));
  std::array<AlignedBuffer, 2> buffers{AlignedBuffer(static_cast<std::size_t>(per) * rb + 2 * kDirectAlign),
                                       AlignedBuffer(static_cast<std::size_t>(per) * rb + 2 * kDirectAlign)};
  detail::BoundedQueue<int> free_buffers(2);
  detail::BoundedQueue<Chunk> ready(2);
  free_buffers.push(0);
  free_buffers.push(1);
  std::exception_ptr read_error;
  std::thread io([&] {
    try {
      for (Index r0 = 0; r0 < file.rows; r0 += per) {
        Chunk c{r0, std::min(file.rows, r0 + per), 0, 0};
        if (!free_buffers.pop(c.buffer)) return;  // the visitor stopped
        c.lo = chunks.read(c.r0, c.r1, buffers[static_cast<std::size_t>(c.buffer)].data());
        if (!ready.push(c)) return;
      }
    } catch (...) {
      read_error = std::current_exception();
    }
    ready.close();
  });
  try {
    Chunk c;
    while (ready.pop(c)) {
      visit(c.r0, c.r1 - c.r0, rows_of(buffers[static_cast<std::size_t>(c.buffer)], c));
      free_buffers.push(c.buffer);
    }
  } catch (...) {
    free_buffers.close();
    ready.close();
    io.join();
    throw;
  }
  io.join();
  if (read_error) std::rethrow_exception(read_error);
}

}  // namespace moegnn::ooc
