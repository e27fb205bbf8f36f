// SPDX-License-Identifier: Apache-2.0
// Opening a pack: every check that stands between a file on disk and a training step.
#include <fstream>

#include "core/error.h"
#include "ooc/detail/binio.h"
#include "ooc/detail/manifest.h"
#include "ooc/pack.h"

namespace moegnn::ooc {
namespace {

template <typename... Parts>
[[noreturn]] void refuse(const std::filesystem::path& path, const Parts&... parts) {
  MOEGNN_FAIL(IoError, "Pack::open", path.string(), ": ", parts...);
}

void check_features(const PackInfo& info, const FeatureFile& x) {
  const FeatureFile& r = info.features;
  if (r.rows != x.rows || r.cols != x.cols || r.data_offset != x.data_offset)
    refuse(info.dir, "mismatched pack: built for a ", r.rows, " x ", r.cols, " table vs ", x.rows,
           " x ", x.cols, " in ", x.path.string());
  if (r.file_bytes != x.file_bytes || r.mtime_ns != x.mtime_ns || r.inode != x.inode ||
      r.path != x.path)
    refuse(info.dir, "stale pack: the feature file ", x.path.string(),
           " is not the one the pack was built from (", r.path.string(), ", ", r.file_bytes,
           " bytes, mtime ", r.mtime_ns, " ns, inode ", r.inode, " vs ", x.file_bytes,
           " bytes, mtime ", x.mtime_ns, " ns, inode ", x.inode, "); run prepare again");
}

std::string checked_file(const detail::Manifest& m, const std::string& name, bool crc) {
  const std::filesystem::path path = m.info.dir / name;
  const auto it = m.files.find(name);
  if (it == m.files.end()) refuse(m.info.dir / "manifest.json", "no entry for ", name);
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) refuse(path, "missing (", error.message(), "); run prepare again");
  if (size != it->second.bytes)
    refuse(path, size < it->second.bytes ? "truncated: " : "wrong size: ", size, " bytes vs ",
           it->second.bytes, " in the manifest; run prepare again");
  if (!crc) return {};
  std::string bytes = detail::read_whole(path);
  if (detail::crc32_of(0, bytes.data(), bytes.size()) != it->second.crc32)
    refuse(path, "corrupt: CRC-32 differs from the manifest; run prepare again");
  return bytes;
}

}  // namespace

PackInfo read_pack_info(const std::filesystem::path& dir) { return detail::read_manifest(dir).info; }

std::shared_ptr<const Pack> Pack::open(const std::filesystem::path& dir,
                                       const FeatureFile* features, const GraphDigest* graph) {
  const detail::Manifest m = detail::read_manifest(dir);
  auto pack = std::shared_ptr<Pack>(new Pack());
  pack->info_ = m.info;
  if (features != nullptr) check_features(m.info, *features);
  if (graph != nullptr && !(m.info.graph == *graph))
    refuse(dir, "mismatched pack: built for a graph of ", m.info.graph.num_nodes, " nodes, ",
           m.info.graph.num_edges, " edges (CRC ", m.info.graph.crc32, ") vs ", graph->num_nodes,
           " nodes, ", graph->num_edges, " edges (CRC ", graph->crc32,
           "); a pack belongs to the graph its model trains on (GCN adds self-loops): run prepare "
           "again with the same data and --model");
  checked_file(m, "pool.bin", true);
  pack->pool_ = load_pool(dir / "pool.bin");
  const std::string index = checked_file(m, "index.bin", true);
  checked_file(m, "packed.bin", false);
  checked_file(m, "cache.bin", false);

  const FeatureFile& x = m.info.features;
  const auto nb = static_cast<std::size_t>(pack->pool_.size());
  if (static_cast<Index>(nb) != m.info.num_batches || pack->pool_.num_nodes != x.rows)
    refuse(dir / "pool.bin", nb, " batches over ", pack->pool_.num_nodes, " nodes vs ",
           m.info.num_batches, " over ", x.rows, " in the manifest");
  detail::ByteReader r(index, dir / "index.bin");
  if (r.get<std::uint64_t>() != x.row_bytes() || r.get<std::int64_t>() != static_cast<std::int64_t>(nb))
    refuse(dir / "index.bin", "row size or batch count disagrees with the manifest");
  for (std::size_t b = 0; b < nb; ++b) {
    pack->offset_.push_back(r.get<std::uint64_t>());
    pack->crc_.push_back(r.get<std::uint32_t>());
  }
  std::vector<graph::NodeId> hot = r.get_vector<graph::NodeId>(x.rows);
  for (std::size_t b = 0; b < nb; ++b) {
    pack->cold_.push_back(r.get_vector<graph::NodeId>(x.rows));
    const auto& c = pack->cold_.back();
    for (std::size_t i = 0; i < c.size(); ++i)
      if (c[i] < 0 || c[i] >= x.rows || (i > 0 && c[i - 1] >= c[i]))
        refuse(dir / "index.bin", "batch ", b, ": cold ids not ascending in [0, ", x.rows, ")");
    if (pack->offset_[b] % kDirectAlign != 0 ||
        pack->offset_[b] + c.size() * x.row_bytes() > m.info.packed_bytes)
      refuse(dir / "index.bin", "batch ", b, ": region at ", pack->offset_[b],
             " outside packed.bin (", m.info.packed_bytes, " bytes)");
  }
  if (!r.done()) refuse(dir / "index.bin", "trailing bytes");

  // The hot rows, CRC-checked as they are read.
  const std::filesystem::path cache_path = dir / "cache.bin";
  Tensor rows = Tensor::empty(static_cast<Index>(hot.size()), x.cols);
  const std::size_t cache_bytes = hot.size() * x.row_bytes();
  if (cache_bytes != m.files.at("cache.bin").bytes)
    refuse(cache_path, cache_bytes, " bytes of hot rows in index.bin vs ",
           m.files.at("cache.bin").bytes, " in the manifest");
  std::ifstream in(cache_path, std::ios::binary);
  in.read(reinterpret_cast<char*>(rows.data()), static_cast<std::streamsize>(cache_bytes));
  if (static_cast<std::size_t>(in.gcount()) != cache_bytes) refuse(cache_path, "truncated");
  if (detail::crc32_of(0, rows.data(), cache_bytes) != m.files.at("cache.bin").crc32)
    refuse(cache_path, "corrupt: CRC-32 differs from the manifest; run prepare again");
  pack->cache_ = std::make_shared<HotCache>(x.rows, std::move(hot), std::move(rows));
  return pack;
}

}  // namespace moegnn::ooc
