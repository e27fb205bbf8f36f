// SPDX-License-Identifier: Apache-2.0
// Feature stores that read the table from disk behind training::FeatureStore, so the trainer and
// the batch sources are the in-memory ones:
//   DiskFeatureStore: hot rows from a HotCache, the rest by aligned O_DIRECT reads through an
//     IoEngine. coalesce=true merges the blocks of nearby rows into one request (what the sampled
//     evaluation uses); coalesce=false reads each row with its own page-granular request, the
//     Ginex / DGL-on-disk pattern kept as the benchmark baseline.
//   MmapFeatureStore: the table memory-mapped, rows copied out (the page-cache baseline).
// Both count what they serve (rows, cache hits, bytes read from the device).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "models/training/feature_store.h"
#include "ooc/direct_io.h"
#include "ooc/feature_file.h"
#include "ooc/hot_cache.h"

namespace moegnn::ooc {

struct StoreStats {
  std::uint64_t rows = 0;        // rows served
  std::uint64_t hits = 0;        // of which from the hot cache
  std::uint64_t bytes_read = 0;  // from the file (the device, with O_DIRECT)
  std::uint64_t requests = 0;
};

struct DiskStoreOptions {
  bool direct = true;    // O_DIRECT (buffered when false or when the filesystem refuses it)
  bool coalesce = true;  // merge the blocks of nearby rows into requests of <= max_request bytes
  std::size_t max_request = std::size_t{1} << 20;
  IoEngineKind engine = IoEngineKind::Auto;
  int depth = 64;
};

class DiskFeatureStore final : public training::FeatureStore {
 public:
  // cache may be null (no hot rows). Throws IoError for an unreadable file, InvalidArgument for a
  // cache of another row count.
  DiskFeatureStore(FeatureFile file, std::shared_ptr<const HotCache> cache,
                   DiskStoreOptions options = {});
  Index num_rows() const override { return file_.rows; }
  Index num_cols() const override { return file_.cols; }
  // Thread-safe (one gather at a time). Throws InvalidArgument for an id out of range, IoError for
  // a failed read.
  Tensor gather(const IndexArray32& ids) const override;
  // The whole table in memory (one sequential pass); for small tables and full-graph evaluation.
  Tensor all() const override;
  StoreStats stats() const;
  const DirectFile& reader() const { return reader_; }
  std::string engine_name() const { return engine_->name(); }

 private:
  FeatureFile file_;
  std::shared_ptr<const HotCache> cache_;
  DiskStoreOptions options_;
  DirectFile reader_;
  mutable std::mutex mutex_;
  std::unique_ptr<IoEngine> engine_;
  mutable AlignedBuffer buffer_;
  mutable std::atomic<std::uint64_t> rows_{0}, hits_{0};
};

class MmapFeatureStore final : public training::FeatureStore {
 public:
  // Throws IoError when the file cannot be mapped.
  explicit MmapFeatureStore(FeatureFile file);
  ~MmapFeatureStore() override;
  MmapFeatureStore(const MmapFeatureStore&) = delete;
  MmapFeatureStore& operator=(const MmapFeatureStore&) = delete;
  Index num_rows() const override { return file_.rows; }
  Index num_cols() const override { return file_.cols; }
  Tensor gather(const IndexArray32& ids) const override;
  Tensor all() const override;

 private:
  FeatureFile file_;
  void* map_ = nullptr;
  std::size_t map_bytes_ = 0;
};

}  // namespace moegnn::ooc
