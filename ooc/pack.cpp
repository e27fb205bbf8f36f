// SPDX-License-Identifier: Apache-2.0
// Pack layout and the two packing passes (batched streaming, naive per batch).
#include "ooc/pack.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include <unistd.h>

#include "core/error.h"
#include "datasets/atomic_file.h"
#include "ooc/detail/binio.h"
#include "ooc/detail/manifest.h"
#include "ooc/disk_store.h"
#include "ooc/scan.h"

namespace moegnn::ooc {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Removes the manifest first (so a pack being rewritten is never valid) and temporaries that a
// killed prepare left behind.
void clear_pack_dir(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  std::error_code error;
  std::filesystem::remove(dir / "manifest.json", error);
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(".") && name.find(".tmp.") != std::string::npos)
      std::filesystem::remove(entry.path(), error);
  }
}

std::string index_bytes(const PackLayout& layout, const std::vector<std::uint32_t>& crc) {
  detail::ByteWriter w;
  w.put<std::uint64_t>(layout.row_bytes);
  w.put<std::int64_t>(static_cast<std::int64_t>(layout.cold.size()));
  for (std::size_t b = 0; b < layout.cold.size(); ++b) {
    w.put<std::uint64_t>(layout.offset[b]);
    w.put<std::uint32_t>(crc[b]);
  }
  w.put_span(std::span<const graph::NodeId>(layout.hot));
  for (const auto& c : layout.cold) w.put_span(std::span<const graph::NodeId>(c));
  return w.finish();
}

void write_small(const std::filesystem::path& path, const std::string& bytes) {
  datasets::AtomicFile out(path, datasets::temporary_name(path));
  out.write(bytes);
  out.commit();
}

// Ends packed.bin on its last aligned boundary so every batch's read is whole blocks.
void pad_file(datasets::AtomicFile& file, std::uint64_t bytes) {
  if (bytes > file.size()) {
    const char zero = 0;
    file.write_at(bytes - 1, &zero, 1);
  }
}

}  // namespace

GraphDigest graph_digest(const graph::Csr& graph) {
  const auto rp = graph.row_ptr().host();
  const auto ci = graph.col_idx().host();
  std::uint32_t crc = detail::crc32_of(0, rp.data(), rp.size_bytes());
  crc = detail::crc32_of(crc, ci.data(), ci.size_bytes());
  return {graph.num_nodes(), graph.num_edges(), crc};
}

std::uint64_t PackLayout::cold_rows() const {
  std::uint64_t n = 0;
  for (const auto& c : cold) n += c.size();
  return n;
}

PackLayout plan_pack(const BatchPool& pool, std::uint64_t row_bytes, std::uint64_t cache_bytes) {
  PackLayout layout;
  layout.row_bytes = row_bytes;
  layout.hot = select_hot_rows(access_counts(pool), row_bytes, cache_bytes);
  std::vector<char> is_hot(static_cast<std::size_t>(pool.num_nodes), 0);
  for (graph::NodeId v : layout.hot) is_hot[static_cast<std::size_t>(v)] = 1;
  std::uint64_t at = 0;
  for (Index b = 0; b < pool.size(); ++b) {
    std::vector<graph::NodeId> cold;
    for (graph::NodeId v : pool.batches[static_cast<std::size_t>(b)].inputs().host())
      if (!is_hot[static_cast<std::size_t>(v)]) cold.push_back(v);
    std::sort(cold.begin(), cold.end());
    cold.erase(std::unique(cold.begin(), cold.end()), cold.end());
    layout.offset.push_back(at);
    at = align_up(at + cold.size() * row_bytes);
    layout.cold.push_back(std::move(cold));
    if (layout.cold.back().size() > layout.cold[static_cast<std::size_t>(layout.largest_batch)].size())
      layout.largest_batch = b;
  }
  layout.packed_bytes = at;
  return layout;
}

namespace {

// The staging buffer: the largest batch's cold rows (at least one row), plus a block.
std::size_t staging_size(const PackLayout& layout) {
  const std::uint64_t largest = layout.cold.empty() ? 0 : layout.batch_bytes(layout.largest_batch);
  return static_cast<std::size_t>(align_up(std::max(largest, layout.row_bytes)) + kDirectAlign);
}

}  // namespace

std::size_t min_pack_memory(const PackLayout& layout) {
  // The staging buffer plus a chunk of one row (and the blocks its aligned read spans).
  return staging_size(layout) + static_cast<std::size_t>(align_up(layout.row_bytes)) +
         2 * kDirectAlign;
}

PackStats write_pack(const std::filesystem::path& dir, const BatchPool& pool,
                     const GraphDigest& graph, const FeatureFile& features,
                     const PackOptions& options, double sample_seconds) {
  MOEGNN_CHECK_AS(InvalidArgument, "write_pack", pool.num_nodes == features.rows, "pool over ",
                  pool.num_nodes, " nodes vs ", features.rows, " rows in ",
                  features.path.string());
  const PackLayout layout = plan_pack(pool, features.row_bytes(), options.cache_bytes);
  const std::size_t need = min_pack_memory(layout);
  MOEGNN_CHECK_AS(InvalidArgument, "write_pack", options.memory_bytes >= need,
                  "memory budget ", options.memory_bytes, " bytes is smaller than one batch: "
                  "batch ", layout.largest_batch, " has ",
                  layout.cold[static_cast<std::size_t>(layout.largest_batch)].size(),
                  " cold rows; need at least ", need, " bytes (raise --memory, or the cache "
                  "budget, or lower the batch size / fanouts)");
  clear_pack_dir(dir);
  save_pool(pool, dir / "pool.bin");

  const auto t0 = Clock::now();
  PackStats stats;
  stats.cache_rows = static_cast<Index>(layout.hot.size());
  stats.cold_rows = layout.cold_rows();
  const std::uint64_t rb = layout.row_bytes;
  const auto nb = layout.cold.size();
  std::vector<std::uint32_t> crc(nb, 0);
  datasets::AtomicFile packed(dir / "packed.bin", datasets::temporary_name(dir / "packed.bin"));
  datasets::AtomicFile cache(dir / "cache.bin", datasets::temporary_name(dir / "cache.bin"));
  std::uint32_t cache_crc = 0;
  const std::size_t staging_bytes = staging_size(layout);
  AlignedBuffer staging(staging_bytes);
  const std::size_t staging_rows = std::max<std::size_t>(1, staging_bytes / rb);
  DirectFile reader(features.path);
  auto engine = make_io_engine(options.engine);
  if (options.batched) {
    stats.chunk_bytes = options.memory_bytes - staging_bytes - 2 * kDirectAlign;
    std::vector<std::size_t> cursor(nb, 0);
    std::size_t next_hot = 0;
    scan_rows(features, reader, *engine, stats.chunk_bytes,
              [&](Index first, Index count, const float* rows) {
                const auto end = static_cast<graph::NodeId>(first + count);
                // Copies the next rows of `ids` inside this chunk into staging, at most as many
                // as staging holds; returns how many.
                auto copy_run = [&](const std::vector<graph::NodeId>& ids, std::size_t& at) {
                  std::size_t n = 0;
                  for (; at < ids.size() && ids[at] < end && n < staging_rows; ++at, ++n)
                    std::memcpy(staging.data() + n * rb, rows + (ids[at] - first) * features.cols, rb);
                  return n;
                };
                while (const std::size_t n = copy_run(layout.hot, next_hot)) {
                  cache.write(staging.data(), n * rb);
                  cache_crc = detail::crc32_of(cache_crc, staging.data(), n * rb);
                }
                for (std::size_t b = 0; b < nb; ++b) {
                  for (;;) {
                    const std::size_t start = cursor[b];
                    const std::size_t n = copy_run(layout.cold[b], cursor[b]);
                    if (n == 0) break;
                    packed.write_at(layout.offset[b] + start * rb, staging.data(), n * rb);
                    crc[b] = detail::crc32_of(crc[b], staging.data(), n * rb);
                  }
                }
              });
  } else {
    // The hot rows with merged requests (a best case for naive packing's cache); each batch's
    // cold rows with one page-granular read per row.
    DiskFeatureStore hot_store(features, nullptr, {.coalesce = true, .engine = options.engine});
    DiskFeatureStore store(features, nullptr, {.coalesce = false, .engine = options.engine});
    auto read_rows = [&](const std::vector<graph::NodeId>& ids) {
      return store.gather(IndexArray32(ids));
    };
    // In slices whose merged reads fit the staging budget (a row costs at most a row plus a block).
    const std::size_t slice = std::max<std::size_t>(1, staging_bytes / (rb + 2 * kDirectAlign));
    for (std::size_t lo = 0; lo < layout.hot.size(); lo += slice) {
      const std::size_t n = std::min(slice, layout.hot.size() - lo);
      const Tensor hot = hot_store.gather(IndexArray32(std::vector<graph::NodeId>(
          layout.hot.begin() + static_cast<std::ptrdiff_t>(lo),
          layout.hot.begin() + static_cast<std::ptrdiff_t>(lo + n))));
      cache.write(hot.data(), n * rb);
      cache_crc = detail::crc32_of(cache_crc, hot.data(), n * rb);
    }
    for (std::size_t b = 0; b < nb; ++b) {
      const Tensor rows = read_rows(layout.cold[b]);
      packed.write_at(layout.offset[b], rows.data(), layout.cold[b].size() * rb);
      crc[b] = detail::crc32_of(0, rows.data(), layout.cold[b].size() * rb);
    }
    stats.bytes_read = store.stats().bytes_read + hot_store.stats().bytes_read;
  }
  pad_file(packed, layout.packed_bytes);
  stats.bytes_written = packed.size() + cache.size();
  packed.commit();
  cache.commit();
  if (options.batched) stats.bytes_read = reader.counters().bytes;
  stats.seconds = since(t0);
  const std::string index = index_bytes(layout, crc);
  write_small(dir / "index.bin", index);

  PackInfo info;
  info.dir = dir;
  info.graph = graph;
  info.features = features;
  info.sampling = pool.options;
  info.num_batches = pool.size();
  info.cache_budget = options.cache_bytes;
  info.cache_rows = stats.cache_rows;
  info.method = options.batched ? "batched" : "naive";
  info.memory_bytes = options.memory_bytes;
  info.packed_bytes = layout.packed_bytes;
  for (const PoolBatch& b : pool.batches) info.input_rows += static_cast<std::uint64_t>(b.inputs().size());
  info.cold_rows = stats.cold_rows;
  info.sample_seconds = sample_seconds;
  info.stats = stats;
  detail::FileRecord cache_rec{layout.hot.size() * rb, cache_crc};
  detail::write_manifest(dir, info, cache_rec);
  return stats;
}

}  // namespace moegnn::ooc
