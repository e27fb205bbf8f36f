// SPDX-License-Identifier: Apache-2.0
#include "ooc/disk_store.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/error.h"
#include "ooc/scan.h"

namespace moegnn::ooc {
namespace {

void check_id(graph::NodeId v, Index rows, std::size_t at) {
  MOEGNN_CHECK_AS(InvalidArgument, "FeatureStore::gather", v >= 0 && v < rows, "id ", v,
                  " at position ", at, " vs [0, ", rows, ")");
}

}  // namespace

DiskFeatureStore::DiskFeatureStore(FeatureFile file, std::shared_ptr<const HotCache> cache,
                                   DiskStoreOptions options)
    : file_(std::move(file)),
      cache_(std::move(cache)),
      options_(options),
      reader_(file_.path, options.direct),
      engine_(make_io_engine(options.engine, options.depth)) {
  MOEGNN_CHECK_AS(InvalidArgument, "DiskFeatureStore", !cache_ || cache_->num_rows() == file_.rows,
                  "cache over ", cache_ ? cache_->num_rows() : 0, " rows vs ", file_.rows,
                  " rows in ", file_.path.string());
}

Tensor DiskFeatureStore::gather(const IndexArray32& ids) const {
  const auto host = ids.host();
  const Index n = ids.size();
  Tensor out = Tensor::empty(n, file_.cols);
  const std::size_t rb = file_.row_bytes();
  std::vector<std::pair<graph::NodeId, std::int32_t>> cold;  // (id, position)
  std::uint64_t hits = 0;
  for (std::size_t i = 0; i < host.size(); ++i) {
    const graph::NodeId v = host[i];
    check_id(v, file_.rows, i);
    const std::int32_t s = cache_ ? cache_->slot(v) : -1;
    if (s >= 0) {
      std::memcpy(out.data() + static_cast<std::ptrdiff_t>(i) * file_.cols, cache_->row(s), rb);
      ++hits;
    } else {
      cold.emplace_back(v, static_cast<std::int32_t>(i));
    }
  }
  rows_ += static_cast<std::uint64_t>(n);
  hits_ += hits;
  if (cold.empty()) return out;
  std::sort(cold.begin(), cold.end());
  // Requests over the distinct cold rows: request r lands at buffer offset at[r]; distinct row k
  // is at buffer offset src[k].
  std::vector<ReadRequest> requests;
  std::vector<std::uint64_t> at, src;
  std::uint64_t total = 0;
  graph::NodeId prev = -1;
  for (const auto& [v, pos] : cold) {
    if (v == prev) continue;
    prev = v;
    const std::uint64_t off = file_.row_offset(v);
    const std::uint64_t lo = align_down(off), hi = align_up(off + rb);
    const bool merge = options_.coalesce && !requests.empty() &&
                       lo <= requests.back().offset + requests.back().bytes &&
                       hi - requests.back().offset <= options_.max_request;
    if (merge) {
      ReadRequest& last = requests.back();
      const std::uint64_t end = last.offset + last.bytes;
      if (hi > end) {
        last.bytes += static_cast<std::size_t>(hi - end);
        total += hi - end;
      }
    } else {
      requests.push_back({&reader_, lo, static_cast<std::size_t>(hi - lo), 0, nullptr});
      at.push_back(total);
      total += hi - lo;
    }
    ReadRequest& last = requests.back();
    last.needed = std::max<std::size_t>(last.needed, static_cast<std::size_t>(off + rb - last.offset));
    src.push_back(at.back() + (off - last.offset));
  }
  const std::lock_guard lock(mutex_);
  buffer_.reserve(total);
  for (std::size_t r = 0; r < requests.size(); ++r) requests[r].dst = buffer_.data() + at[r];
  engine_->read(requests);
  std::size_t k = 0;
  prev = cold.front().first;
  for (const auto& [v, pos] : cold) {
    if (v != prev) {
      ++k;
      prev = v;
    }
    std::memcpy(out.data() + static_cast<std::ptrdiff_t>(pos) * file_.cols, buffer_.data() + src[k],
                rb);
  }
  return out;
}

Tensor DiskFeatureStore::all() const {
  Tensor out = Tensor::empty(file_.rows, file_.cols);
  const std::lock_guard lock(mutex_);
  scan_rows(file_, reader_, *engine_, std::size_t{64} << 20,
            [&](Index first, Index count, const float* rows) {
              std::memcpy(out.data() + first * file_.cols, rows,
                          static_cast<std::size_t>(count) * file_.row_bytes());
            });
  rows_ += static_cast<std::uint64_t>(file_.rows);
  return out;
}

StoreStats DiskFeatureStore::stats() const {
  return {rows_.load(), hits_.load(), reader_.counters().bytes.load(),
          reader_.counters().requests.load()};
}

MmapFeatureStore::MmapFeatureStore(FeatureFile file) : file_(std::move(file)) {
  const int fd = ::open(file_.path.c_str(), O_RDONLY | O_CLOEXEC);
  MOEGNN_CHECK_AS(IoError, "MmapFeatureStore", fd >= 0, file_.path.string(),
                  ": cannot open: ", std::strerror(errno));
  map_bytes_ = static_cast<std::size_t>(file_.file_bytes);
  map_ = ::mmap(nullptr, map_bytes_, PROT_READ, MAP_SHARED, fd, 0);
  const int e = errno;
  ::close(fd);
  MOEGNN_CHECK_AS(IoError, "MmapFeatureStore", map_ != MAP_FAILED, file_.path.string(),
                  ": cannot map: ", std::strerror(e));
  ::madvise(map_, map_bytes_, MADV_RANDOM);
}

MmapFeatureStore::~MmapFeatureStore() {
  if (map_ != MAP_FAILED && map_ != nullptr) ::munmap(map_, map_bytes_);
}

Tensor MmapFeatureStore::gather(const IndexArray32& ids) const {
  const auto host = ids.host();
  Tensor out = Tensor::empty(ids.size(), file_.cols);
  const auto* base = static_cast<const std::byte*>(map_);
  for (std::size_t i = 0; i < host.size(); ++i) {
    check_id(host[i], file_.rows, i);
    std::memcpy(out.data() + static_cast<std::ptrdiff_t>(i) * file_.cols,
                base + file_.row_offset(host[i]), file_.row_bytes());
  }
  return out;
}

Tensor MmapFeatureStore::all() const {
  Tensor out = Tensor::empty(file_.rows, file_.cols);
  std::memcpy(out.data(), static_cast<const std::byte*>(map_) + file_.data_offset,
              static_cast<std::size_t>(file_.rows) * file_.row_bytes());
  return out;
}

}  // namespace moegnn::ooc
