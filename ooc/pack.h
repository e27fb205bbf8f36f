// SPDX-License-Identifier: Apache-2.0
// A pack: the offline-sampled pool of an epoch plus the feature rows it needs, laid out so that
// training reads each batch with one sequential request (DiskGNN's feature packing, §2.4):
//   pool.bin      the batches (seeds and blocks), CRC-32 checked
//   index.bin     per batch: offset, cold-row count and CRC-32 of its packed rows; the hot ids
//                 and each batch's cold ids (ascending); CRC-32 checked
//   cache.bin     the hot rows (ascending id), row-major float32
//   packed.bin    per batch, its cold rows (ascending id) contiguous, each batch 4 KiB aligned
//   manifest.json written LAST: graph digest, feature-file identity, sampling and cache
//                 parameters, file sizes and CRC-32s, and how the pack was built
// prepare removes manifest.json first, writes every file atomically (temporary, fsync, rename) and
// the manifest last, so a directory an interrupted (kill -9) or failed (full disk) prepare left
// behind has no manifest and Pack::open refuses it. Pack::open also refuses a pack whose feature
// file or graph changed since (stale) or whose files disagree with the manifest (truncated,
// corrupt), naming the file.
//
// Batched packing streams the feature table once, in chunks, appending every batch's cold rows
// that fall in the chunk to that batch's region: sequential reads instead of one random read per
// row. Naive packing (kept for the benchmark) reads each batch's cold rows with one page-granular
// read per row (DiskGNN's feat_packing; the hot rows with merged requests, in slices). Batched
// packing holds at most memory_bytes: the chunk plus a staging buffer of the largest batch; a
// smaller budget is refused with the minimum needed. Naive packing's read buffer is a page per
// cold row of one batch (up to page / row size times the staging buffer).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "graph/csr.h"
#include "ooc/direct_io.h"
#include "ooc/feature_file.h"
#include "ooc/hot_cache.h"
#include "ooc/pool.h"

namespace moegnn::ooc {

inline constexpr int kPackVersion = 1;

struct GraphDigest {
  Index num_nodes = 0;
  std::int64_t num_edges = 0;
  std::uint32_t crc32 = 0;  // over row_ptr and col_idx
  bool operator==(const GraphDigest&) const = default;
};
GraphDigest graph_digest(const graph::Csr& graph);

struct PackOptions {
  std::uint64_t cache_bytes = 0;               // hot-row cache budget (bytes of rows)
  std::size_t memory_bytes = std::size_t{256} << 20;  // memory bound of the packing pass
  bool batched = true;                         // false: naive per-batch packing
  IoEngineKind engine = IoEngineKind::Auto;
};

// Where every row of the pool goes.
struct PackLayout {
  std::uint64_t row_bytes = 0;
  std::vector<graph::NodeId> hot;                 // cached rows, ascending
  std::vector<std::vector<graph::NodeId>> cold;   // per batch, ascending, distinct
  std::vector<std::uint64_t> offset;              // per batch, in packed.bin (4 KiB aligned)
  std::uint64_t packed_bytes = 0;                 // size of packed.bin
  Index largest_batch = 0;                        // the batch with the most cold rows
  std::uint64_t cold_rows() const;
  std::uint64_t batch_bytes(Index b) const {
    return cold[static_cast<std::size_t>(b)].size() * row_bytes;
  }
};

// Hot rows by access frequency under cache_bytes; the rest of each batch's inputs are cold.
PackLayout plan_pack(const BatchPool& pool, std::uint64_t row_bytes, std::uint64_t cache_bytes);
// The least memory_bytes that packing (and reading one batch in training) needs.
std::size_t min_pack_memory(const PackLayout& layout);

struct PackStats {
  double seconds = 0.0;            // the packing pass (not sampling)
  std::uint64_t bytes_read = 0;    // from the feature file (counted by the reader)
  std::uint64_t bytes_written = 0;
  std::uint64_t cold_rows = 0;     // sum over batches
  Index cache_rows = 0;
  std::size_t chunk_bytes = 0;     // batched: rows read per chunk
};

// Writes the pack of `pool` for the table `features` into `dir` (created; an older pack there is
// replaced). Throws InvalidArgument when options.memory_bytes < min_pack_memory (naming the
// minimum and the largest batch), IoError naming the file on a failed read or write (e.g. a full
// disk: no manifest is written).
PackStats write_pack(const std::filesystem::path& dir, const BatchPool& pool,
                     const GraphDigest& graph, const FeatureFile& features,
                     const PackOptions& options, double sample_seconds = 0.0);

// What manifest.json says (for `info` and the checks).
struct PackInfo {
  std::filesystem::path dir;
  GraphDigest graph;
  FeatureFile features;  // path, shape and identity as recorded
  PoolOptions sampling;
  Index num_batches = 0;
  std::uint64_t cache_budget = 0;
  Index cache_rows = 0;
  std::string method;  // "batched" or "naive"
  std::size_t memory_bytes = 0;
  std::uint64_t packed_bytes = 0;
  std::uint64_t footprint_bytes = 0;  // all files of the pack
  std::uint64_t input_rows = 0;       // sum over batches of their input rows
  std::uint64_t cold_rows = 0;
  double sample_seconds = 0.0;
  PackStats stats;
};
// Reads manifest.json only. Throws IoError naming the directory when it has no manifest (an
// incomplete pack) or a malformed / other-version one.
PackInfo read_pack_info(const std::filesystem::path& dir);

class Pack {
 public:
  // Opens and validates `dir`: the manifest, every file's size and the CRC-32 of pool.bin,
  // index.bin and cache.bin; `features` (when given) must be the very file the pack was built
  // from (path, size, mtime, inode, shape) and `graph` (when given) the same graph. Throws
  // IoError naming the file or the mismatch; nothing is trained on a pack that fails.
  static std::shared_ptr<const Pack> open(const std::filesystem::path& dir,
                                          const FeatureFile* features = nullptr,
                                          const GraphDigest* graph = nullptr);

  const PackInfo& info() const { return info_; }
  const BatchPool& pool() const { return pool_; }
  const std::shared_ptr<const HotCache>& cache() const { return cache_; }
  const std::vector<graph::NodeId>& cold(Index b) const {
    return cold_[static_cast<std::size_t>(b)];
  }
  std::uint64_t offset(Index b) const { return offset_[static_cast<std::size_t>(b)]; }
  std::uint32_t crc(Index b) const { return crc_[static_cast<std::size_t>(b)]; }
  std::uint64_t row_bytes() const { return info_.features.row_bytes(); }
  std::filesystem::path packed_path() const { return info_.dir / "packed.bin"; }

 private:
  PackInfo info_;
  BatchPool pool_;
  std::shared_ptr<const HotCache> cache_;
  std::vector<std::vector<graph::NodeId>> cold_;
  std::vector<std::uint64_t> offset_;
  std::vector<std::uint32_t> crc_;
};

}  // namespace moegnn::ooc
