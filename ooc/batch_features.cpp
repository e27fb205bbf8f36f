// SPDX-License-Identifier: Apache-2.0
// The two BatchFeatures: a pack (region read + assembly) and any FeatureStore (gather).
#include <algorithm>
#include <atomic>
#include <cstring>

#include "core/error.h"
#include "ooc/detail/binio.h"
#include "ooc/pipeline.h"

namespace moegnn::ooc {
namespace {

class PackedFeatures final : public BatchFeatures {
 public:
  PackedFeatures(std::shared_ptr<const Pack> pack, PackedReadOptions options)
      : pack_(std::move(pack)),
        options_(options),
        reader_(pack_->packed_path(), options.direct),
        engine_(make_io_engine(options.engine)) {}

  void read(Index b, Raw& raw) override {
    const std::uint64_t rb = pack_->row_bytes();
    const std::size_t bytes = pack_->cold(b).size() * rb;
    cold_rows_ += pack_->cold(b).size();
    if (bytes == 0) return;
    const std::size_t total = align_up(bytes);
    raw.buffer.reserve(total);
    constexpr std::size_t kPiece = std::size_t{1} << 20;
    requests_.clear();
    for (std::size_t at = 0; at < total; at += kPiece) {
      const std::size_t n = std::min(kPiece, total - at);
      const std::size_t needed = bytes > at ? std::min(n, bytes - at) : 0;
      requests_.push_back({&reader_, pack_->offset(b) + at, n, needed, raw.buffer.data() + at});
    }
    engine_->read(requests_);
    if (options_.verify_crc)
      MOEGNN_CHECK_AS(IoError, "PackedFeatures::read",
                      detail::crc32_of(0, raw.buffer.data(), bytes) == pack_->crc(b),
                      pack_->packed_path().string(), ": batch ", b, " at offset ",
                      pack_->offset(b), ": CRC-32 mismatch (a corrupt pack); run prepare again");
  }

  Tensor assemble(Index b, Raw& raw) override {
    const auto inputs = pack_->pool().batches[static_cast<std::size_t>(b)].inputs().host();
    const auto& cold = pack_->cold(b);
    const HotCache& cache = *pack_->cache();
    const std::size_t rb = pack_->row_bytes();
    const Index cols = pack_->info().features.cols;
    Tensor out = Tensor::empty(static_cast<Index>(inputs.size()), cols);
    std::uint64_t hits = 0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      float* dst = out.data() + static_cast<std::ptrdiff_t>(i) * cols;
      const std::int32_t slot = cache.slot(inputs[i]);
      if (slot >= 0) {
        std::memcpy(dst, cache.row(slot), rb);
        ++hits;
        continue;
      }
      const auto it = std::lower_bound(cold.begin(), cold.end(), inputs[i]);
      MOEGNN_CHECK_AS(IoError, "PackedFeatures::assemble", it != cold.end() && *it == inputs[i],
                      pack_->info().dir.string(), ": batch ", b, " input ", inputs[i],
                      " neither cached nor packed (a corrupt pack); run prepare again");
      std::memcpy(dst, raw.buffer.data() + static_cast<std::size_t>(it - cold.begin()) * rb, rb);
    }
    rows_ += inputs.size();
    hits_ += hits;
    return out;
  }

  StoreStats stats() const override {
    return {rows_.load(), hits_.load(), reader_.counters().bytes.load(),
            reader_.counters().requests.load()};
  }
  std::uint64_t cold_rows() const override { return cold_rows_.load(); }

 private:
  std::shared_ptr<const Pack> pack_;
  PackedReadOptions options_;
  DirectFile reader_;
  std::unique_ptr<IoEngine> engine_;
  std::vector<ReadRequest> requests_;
  std::atomic<std::uint64_t> rows_{0}, hits_{0}, cold_rows_{0};
};

class StoreFeatures final : public BatchFeatures {
 public:
  StoreFeatures(std::shared_ptr<const BatchPool> pool,
                std::shared_ptr<const training::FeatureStore> store)
      : pool_(std::move(pool)), store_(std::move(store)) {
    MOEGNN_CHECK_AS(InvalidArgument, "store_features", store_ && store_->num_rows() == pool_->num_nodes,
                    "a store of ", store_ ? store_->num_rows() : 0, " rows vs ", pool_->num_nodes,
                    " nodes in the pool");
  }
  void read(Index b, Raw& raw) override {
    raw.ready = store_->gather(pool_->batches[static_cast<std::size_t>(b)].inputs());
    rows_ += static_cast<std::uint64_t>(raw.ready.rows());
  }
  Tensor assemble(Index, Raw& raw) override { return std::move(raw.ready); }
  StoreStats stats() const override {
    if (const auto* disk = dynamic_cast<const DiskFeatureStore*>(store_.get())) return disk->stats();
    return {rows_.load(), 0, 0, 0};
  }
  std::uint64_t cold_rows() const override {
    const StoreStats s = stats();
    return s.rows - s.hits;
  }

 private:
  std::shared_ptr<const BatchPool> pool_;
  std::shared_ptr<const training::FeatureStore> store_;
  std::atomic<std::uint64_t> rows_{0};
};

}  // namespace

std::shared_ptr<BatchFeatures> packed_features(std::shared_ptr<const Pack> pack,
                                               PackedReadOptions options) {
  MOEGNN_CHECK_AS(InvalidArgument, "packed_features", pack != nullptr, "no pack vs an open pack");
  return std::make_shared<PackedFeatures>(std::move(pack), options);
}

std::shared_ptr<BatchFeatures> store_features(std::shared_ptr<const BatchPool> pool,
                                              std::shared_ptr<const training::FeatureStore> store) {
  MOEGNN_CHECK_AS(InvalidArgument, "store_features", pool != nullptr, "no pool vs a pool");
  return std::make_shared<StoreFeatures>(std::move(pool), std::move(store));
}

}  // namespace moegnn::ooc
