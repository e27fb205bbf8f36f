// SPDX-License-Identifier: Apache-2.0
#include "ooc/detail/manifest.h"

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "datasets/atomic_file.h"
#include "ooc/detail/binio.h"

namespace moegnn::ooc::detail {
namespace {

using nlohmann::json;

FileRecord record_of(const std::filesystem::path& path) {
  const std::string bytes = read_whole(path);
  return {bytes.size(), crc32_of(0, bytes.data(), bytes.size())};
}

}  // namespace

void write_manifest(const std::filesystem::path& dir, PackInfo info, const FileRecord& cache) {
  std::map<std::string, FileRecord> files{{"pool.bin", record_of(dir / "pool.bin")},
                                          {"index.bin", record_of(dir / "index.bin")},
                                          {"cache.bin", cache},
                                          {"packed.bin", {info.packed_bytes, 0}}};
  info.footprint_bytes = 0;
  json f = json::object();
  for (const auto& [name, r] : files) {
    f[name] = {{"bytes", r.bytes}, {"crc32", r.crc32}};
    info.footprint_bytes += r.bytes;
  }
  const FeatureFile& x = info.features;
  const PackStats& s = info.stats;
  json j = {
      {"format", "moegnn-ooc-pack"},
      {"version", kPackVersion},
      {"graph", {{"num_nodes", info.graph.num_nodes}, {"num_edges", info.graph.num_edges},
                 {"crc32", info.graph.crc32}}},
      {"features", {{"path", x.path.string()}, {"format", x.format}, {"rows", x.rows},
                    {"cols", x.cols}, {"data_offset", x.data_offset}, {"bytes", x.file_bytes},
                    {"mtime_ns", x.mtime_ns}, {"inode", x.inode}}},
      {"sampling", {{"fanouts", info.sampling.fanouts}, {"batch_size", info.sampling.batch_size},
                    {"seed_fraction", info.sampling.seed_fraction},
                    {"max_batches", info.sampling.max_batches}, {"seed", info.sampling.seed},
                    {"num_batches", info.num_batches}}},
      {"cache", {{"budget_bytes", info.cache_budget}, {"rows", info.cache_rows}}},
      {"packing", {{"method", info.method}, {"memory_bytes", info.memory_bytes},
                   {"seconds", s.seconds}, {"bytes_read", s.bytes_read},
                   {"bytes_written", s.bytes_written}, {"chunk_bytes", s.chunk_bytes},
                   {"sample_seconds", info.sample_seconds}}},
      {"rows", {{"input", info.input_rows}, {"cold", info.cold_rows}}},
      {"footprint_bytes", info.footprint_bytes},
      {"files", f}};
  const std::filesystem::path path = dir / "manifest.json";
  datasets::AtomicFile out(path, datasets::temporary_name(path));
  out.write(j.dump(2));
  out.write("\n");
  out.commit();
}

Manifest read_manifest(const std::filesystem::path& dir) {
  const std::filesystem::path path = dir / "manifest.json";
  MOEGNN_CHECK_AS(IoError, "Pack::open", std::filesystem::exists(path), dir.string(),
                  ": no manifest.json: an incomplete pack (prepare was interrupted or failed) or "
                  "not a pack; run prepare again");
  Manifest m;
  try {
    const json j = json::parse(read_whole(path));
    MOEGNN_CHECK_AS(IoError, "Pack::open", j.at("format") == "moegnn-ooc-pack", path.string(),
                    ": format ", j.at("format").dump(), " vs \"moegnn-ooc-pack\"");
    MOEGNN_CHECK_AS(IoError, "Pack::open", j.at("version") == kPackVersion, path.string(),
                    ": version ", j.at("version").dump(), " vs ", kPackVersion,
                    "; run prepare again");
    PackInfo& i = m.info;
    i.dir = dir;
    const json& g = j.at("graph");
    i.graph = {g.at("num_nodes"), g.at("num_edges"), g.at("crc32")};
    const json& x = j.at("features");
    i.features.path = x.at("path").get<std::string>();
    i.features.format = x.at("format");
    i.features.rows = x.at("rows");
    i.features.cols = x.at("cols");
    i.features.data_offset = x.at("data_offset");
    i.features.file_bytes = x.at("bytes");
    i.features.mtime_ns = x.at("mtime_ns");
    i.features.inode = x.at("inode");
    const json& s = j.at("sampling");
    i.sampling.fanouts = s.at("fanouts").get<std::vector<int>>();
    i.sampling.batch_size = s.at("batch_size");
    i.sampling.seed_fraction = s.at("seed_fraction");
    i.sampling.max_batches = s.at("max_batches");
    i.sampling.seed = s.at("seed");
    i.num_batches = s.at("num_batches");
    i.cache_budget = j.at("cache").at("budget_bytes");
    i.cache_rows = j.at("cache").at("rows");
    const json& p = j.at("packing");
    i.method = p.at("method");
    i.memory_bytes = p.at("memory_bytes");
    i.stats.seconds = p.at("seconds");
    i.stats.bytes_read = p.at("bytes_read");
    i.stats.bytes_written = p.at("bytes_written");
    i.stats.chunk_bytes = p.at("chunk_bytes");
    i.sample_seconds = p.at("sample_seconds");
    i.input_rows = j.at("rows").at("input");
    i.cold_rows = j.at("rows").at("cold");
    i.stats.cold_rows = i.cold_rows;
    i.stats.cache_rows = i.cache_rows;
    i.footprint_bytes = j.at("footprint_bytes");
    for (const auto& [name, r] : j.at("files").items())
      m.files[name] = {r.at("bytes"), r.at("crc32")};
    i.packed_bytes = m.files.at("packed.bin").bytes;
  } catch (const json::exception& e) {
    MOEGNN_FAIL(IoError, "Pack::open", path.string(), ": malformed manifest (", e.what(),
                "); run prepare again");
  } catch (const std::out_of_range&) {
    MOEGNN_FAIL(IoError, "Pack::open", path.string(), ": manifest without a files entry");
  }
  return m;
}

}  // namespace moegnn::ooc::detail
