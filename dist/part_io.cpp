// SPDX-License-Identifier: Apache-2.0
// Part directories: write_parts / read_parts_manifest / load_part. dir/part-<k>/ holds graph.csr
// (graph::save_csr), one array file per Part array (dist/detail/array_file.h) and part.json (its
// sizes and the set's digest, written last in the folder); dir/manifest.json is written after every
// part, atomically, so a set without one is incomplete. Loading checks every file against part.json
// and the manifest, and refuses by file name.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "core/error.h"
#include "datasets/atomic_file.h"
#include "datasets/sha256.h"
#include "dist/detail/array_file.h"
#include "dist/part.h"
#include "graph/io.h"

namespace moegnn::dist {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kLoad = "dist::load_part";
constexpr const char* kManifest = "dist::read_parts_manifest";
constexpr const char* kFormat = "moegnn-parts";
constexpr int kVersion = 1;

fs::path part_dir(const fs::path& dir, Index k) { return dir / ("part-" + std::to_string(k)); }

std::string graph_digest(const graph::Csr& g, const IndexArray32& assignment) {
  datasets::Sha256 sha;
  const auto rp = g.row_ptr().host();
  const auto ci = g.col_idx().host();
  sha.update(rp.data(), rp.size_bytes());
  sha.update(ci.data(), ci.size_bytes());
  if (g.has_values()) {
    sha.update(g.values().data(), static_cast<std::size_t>(g.num_edges()) * sizeof(float));
  }
  const auto a = assignment.host();
  sha.update(a.data(), a.size_bytes());
  return sha.hex_digest();
}

void write_json(const fs::path& path, const json& j) {
  datasets::AtomicFile out(path, datasets::temporary_name(path));
  out.write(j.dump(2));
  out.write("\n");
  out.commit();
}

json read_json(const char* function, const fs::path& path, const char* what_to_do) {
  std::ifstream in(path);
  MOEGNN_CHECK_AS(IoError, function, in.good(), path.string(), ": ",
                  fs::exists(path) ? "unreadable" : "missing", "; ", what_to_do);
  std::stringstream text;
  text << in.rdbuf();
  try {
    return json::parse(text.str());
  } catch (const json::exception& e) {
    MOEGNN_FAIL(IoError, function, path.string(), ": malformed JSON (", e.what(), "); ", what_to_do);
  }
}

json stats_json(const PartitionStats& s) {
  return {{"edge_cut", s.edge_cut},       {"halo_volume", s.halo_volume},
          {"nodes", s.nodes},             {"train", s.train},
          {"halo", s.halo},               {"send", s.send},
          {"node_imbalance", s.node_imbalance},
          {"train_imbalance", s.train_imbalance}};
}

void write_part(const Part& part, const std::string& digest, const fs::path& pdir) {
  fs::create_directories(pdir);
  graph::save_csr(part.graph, pdir / "graph.csr");
  detail::write_array(pdir / "owned.arr", part.owned.host());
  detail::write_array(pdir / "halo.arr", part.halo.host());
  detail::write_array(pdir / "halo_owner.arr", part.halo_owner.host());
  detail::write_array(pdir / "global_degree.arr", part.global_degree.host());
  detail::write_array(pdir / "features.arr", part.features);
  detail::write_array(pdir / "labels.arr", part.labels.host());
  detail::write_array(pdir / "train.arr", part.train.host());
  detail::write_array(pdir / "val.arr", part.val.host());
  detail::write_array(pdir / "test.arr", part.test.host());
  std::vector<std::int32_t> send;
  std::vector<std::int64_t> send_offset{0};
  for (const auto& s : part.send) {
    send.insert(send.end(), s.host().begin(), s.host().end());
    send_offset.push_back(static_cast<std::int64_t>(send.size()));
  }
  detail::write_array(pdir / "send.arr", std::span<const std::int32_t>(send));
  detail::write_array(pdir / "send_offset.arr", std::span<const std::int64_t>(send_offset));
  const std::vector<std::int64_t> recv(part.recv_offset.begin(), part.recv_offset.end());
  detail::write_array(pdir / "recv_offset.arr", std::span<const std::int64_t>(recv));
  write_json(pdir / "part.json",
             {{"format", kFormat}, {"version", kVersion}, {"part_id", part.part_id},
              {"num_parts", part.num_parts}, {"graph_digest", digest},
              {"num_owned", part.num_owned()}, {"num_halo", part.num_halo()},
              {"num_edges", part.graph.num_edges()}, {"num_features", part.features.cols()},
              {"num_train", part.train.size()}, {"num_val", part.val.size()},
              {"num_test", part.test.size()}, {"num_send", send.size()}});
}

// Ids in [lo, hi); throws IoError naming the file.
void check_range(const fs::path& file, std::span<const std::int32_t> ids, Index lo, Index hi) {
  for (std::size_t i = 0; i < ids.size(); ++i) {
    MOEGNN_CHECK_AS(IoError, kLoad, ids[i] >= lo && ids[i] < hi, file.string(), ": entry ", i,
                    " = ", ids[i], " out of range vs [", lo, ", ", hi, ")");
  }
}

}  // namespace

void write_parts(const datasets::NodeDataset& dataset, const IndexArray32& assignment,
                 Index num_parts, const std::string& method, const fs::path& dir) {
  write_parts(dataset, assignment, num_parts, PartsWriteOptions{.method = method}, dir);
}

PartsManifest write_parts(const datasets::NodeDataset& dataset, const IndexArray32& assignment,
                          Index num_parts, const PartsWriteOptions& options, const fs::path& dir) {
  // The stats check the assignment (length, owners in range) before anything is written.
  PartsManifest m;
  m.stats = partition_stats(dataset.graph, dataset.train, assignment, num_parts);
  m.num_parts = num_parts;
  m.num_global_nodes = dataset.num_nodes();
  m.num_features = dataset.num_features();
  m.num_classes = dataset.num_classes;
  m.dataset_name = dataset.name;
  m.graph_digest = graph_digest(dataset.graph, assignment);
  m.method = options.method;
  m.seed = options.seed;
  m.balance_train = options.balance_train;
  m.num_edges = dataset.graph.num_edges();
  // An old manifest would vouch for a half-rewritten set: remove it first.
  std::error_code ec;
  fs::create_directories(dir, ec);
  MOEGNN_CHECK_AS(IoError, "dist::write_parts", !ec, dir.string(), ": cannot create (",
                  ec.message(), ")");
  fs::remove(dir / "manifest.json", ec);
  MOEGNN_CHECK_AS(IoError, "dist::write_parts", !ec, (dir / "manifest.json").string(),
                  ": cannot remove the old manifest (", ec.message(), ")");
  for (Index k = 0; k < num_parts; ++k) {
    write_part(build_part(dataset, assignment, k, num_parts), m.graph_digest, part_dir(dir, k));
  }
  // Parts of an older, larger set in the same folder would only confuse: remove them.
  for (Index k = num_parts; fs::exists(part_dir(dir, k) / "part.json"); ++k) {
    fs::remove_all(part_dir(dir, k), ec);
  }
  write_json(dir / "manifest.json",
             {{"format", kFormat}, {"version", kVersion}, {"num_parts", m.num_parts},
              {"num_global_nodes", m.num_global_nodes}, {"num_edges", m.num_edges},
              {"num_features", m.num_features}, {"num_classes", m.num_classes},
              {"dataset_name", m.dataset_name}, {"graph_digest", m.graph_digest},
              {"method", m.method}, {"seed", m.seed}, {"balance_train", m.balance_train},
              {"stats", stats_json(m.stats)}});
  return m;
}

PartsManifest read_parts_manifest(const fs::path& dir) {
  const fs::path path = dir / "manifest.json";
  const json j = read_json(kManifest, path,
                           "the part set is incomplete or not one (write_parts writes the manifest "
                           "last); run `moegnn-data partition` again");
  PartsManifest m;
  try {
    MOEGNN_CHECK_AS(IoError, kManifest, j.at("format") == kFormat, path.string(), ": format ",
                    j.at("format").dump(), " vs \"", kFormat, "\"");
    MOEGNN_CHECK_AS(IoError, kManifest, j.at("version") == kVersion, path.string(), ": version ",
                    j.at("version").dump(), " vs ", kVersion);
    j.at("num_parts").get_to(m.num_parts);
    j.at("num_global_nodes").get_to(m.num_global_nodes);
    j.at("num_edges").get_to(m.num_edges);
    j.at("num_features").get_to(m.num_features);
    j.at("num_classes").get_to(m.num_classes);
    j.at("dataset_name").get_to(m.dataset_name);
    j.at("graph_digest").get_to(m.graph_digest);
    j.at("method").get_to(m.method);
    j.at("seed").get_to(m.seed);
    j.at("balance_train").get_to(m.balance_train);
    const json& s = j.at("stats");
    m.stats.num_parts = m.num_parts;
    s.at("edge_cut").get_to(m.stats.edge_cut);
    s.at("halo_volume").get_to(m.stats.halo_volume);
    s.at("nodes").get_to(m.stats.nodes);
    s.at("train").get_to(m.stats.train);
    s.at("halo").get_to(m.stats.halo);
    s.at("send").get_to(m.stats.send);
    s.at("node_imbalance").get_to(m.stats.node_imbalance);
    s.at("train_imbalance").get_to(m.stats.train_imbalance);
  } catch (const json::exception& e) {
    MOEGNN_FAIL(IoError, kManifest, path.string(), ": malformed manifest (", e.what(),
                "); run `moegnn-data partition` again");
  }
  MOEGNN_CHECK_AS(IoError, kManifest, m.num_parts >= 1 && m.num_global_nodes >= 0 &&
                      datasets::is_sha256_hex(m.graph_digest),
                  path.string(), ": corrupt manifest: ", m.num_parts, " parts, ",
                  m.num_global_nodes, " nodes, digest \"", m.graph_digest, "\"");
  return m;
}

namespace {

// The sizes part.json records, checked against the manifest.
struct PartMeta {
  Index num_owned = 0, num_halo = 0, num_edges = 0, num_features = 0;
  Index num_train = 0, num_val = 0, num_test = 0, num_send = 0;
};

PartMeta read_part_meta(const fs::path& pdir, const PartsManifest& m, Index part_id) {
  const fs::path path = pdir / "part.json";
  const json meta = read_json(kLoad, path, "partition again");
  PartMeta s;
  try {
    const std::string digest = meta.at("graph_digest");
    MOEGNN_CHECK_AS(IoError, kLoad, digest == m.graph_digest, path.string(),
                    ": a part of another set: digest ", digest, " vs the manifest's ",
                    m.graph_digest, "; do not mix part directories of different partitions");
    const Index id = meta.at("part_id"), parts = meta.at("num_parts");
    MOEGNN_CHECK_AS(IoError, kLoad, id == part_id && parts == m.num_parts, path.string(),
                    ": part ", id, " of ", parts, " vs part ", part_id, " of ", m.num_parts);
    meta.at("num_owned").get_to(s.num_owned);
    meta.at("num_halo").get_to(s.num_halo);
    meta.at("num_edges").get_to(s.num_edges);
    meta.at("num_features").get_to(s.num_features);
    meta.at("num_train").get_to(s.num_train);
    meta.at("num_val").get_to(s.num_val);
    meta.at("num_test").get_to(s.num_test);
    meta.at("num_send").get_to(s.num_send);
  } catch (const json::exception& e) {
    MOEGNN_FAIL(IoError, kLoad, path.string(), ": malformed (", e.what(), "); partition again");
  }
  MOEGNN_CHECK_AS(IoError, kLoad, s.num_features == m.num_features, path.string(),
                  ": num_features ", s.num_features, " vs the manifest's ", m.num_features);
  return s;
}

// send / send_offset / recv_offset, checked against the part's sizes and its halo owners.
void read_exchange_plan(const fs::path& pdir, const PartMeta& s, Part& p) {
  const IndexArray32 send = detail::read_int32(kLoad, pdir / "send.arr", s.num_send);
  check_range(pdir / "send.arr", send.host(), 0, s.num_owned);
  const auto send_offset = detail::read_int64(kLoad, pdir / "send_offset.arr", p.num_parts + 1);
  const auto recv_offset = detail::read_int64(kLoad, pdir / "recv_offset.arr", p.num_parts + 1);
  MOEGNN_CHECK_AS(IoError, kLoad, send_offset.front() == 0 && send_offset.back() == s.num_send &&
                      std::is_sorted(send_offset.begin(), send_offset.end()),
                  (pdir / "send_offset.arr").string(), ": offsets not monotone from 0 to ",
                  s.num_send);
  for (Index q = 0; q < p.num_parts; ++q) {
    const auto b = send_offset[static_cast<std::size_t>(q)];
    const auto e = send_offset[static_cast<std::size_t>(q) + 1];
    p.send.emplace_back(std::span<const std::int32_t>(send.data() + b, static_cast<std::size_t>(e - b)));
  }
  p.recv_offset.assign(recv_offset.begin(), recv_offset.end());
  MOEGNN_CHECK_AS(IoError, kLoad, recv_offset.front() == 0 && recv_offset.back() == s.num_halo &&
                      std::is_sorted(recv_offset.begin(), recv_offset.end()),
                  (pdir / "recv_offset.arr").string(), ": offsets not monotone from 0 to ", s.num_halo);
  // recv_offset must describe halo_owner exactly (q's range holds the halo nodes q owns).
  for (Index j = 0; j < s.num_halo; ++j) {
    const auto q = static_cast<std::size_t>(p.halo_owner[j]);
    MOEGNN_CHECK_AS(IoError, kLoad, p.recv_offset[q] <= j && j < p.recv_offset[q + 1],
                    (pdir / "recv_offset.arr").string(), ": halo node ", j, " (owner ", q,
                    ") outside its range [", p.recv_offset[q], ", ", p.recv_offset[q + 1], ")");
  }
}

graph::Csr read_local_graph(const fs::path& pdir, const PartMeta& s) {
  const fs::path path = pdir / "graph.csr";
  MOEGNN_CHECK_AS(IoError, kLoad, fs::exists(path), path.string(), ": missing");
  graph::Csr g;
  try {
    g = graph::load_csr(path, graph::LoadMode::Read);
  } catch (const IoError& e) {
    MOEGNN_FAIL(IoError, kLoad, e.what());
  }
  const Index local = s.num_owned + s.num_halo;
  MOEGNN_CHECK_AS(IoError, kLoad, g.num_rows() == s.num_owned && g.num_cols() == local &&
                      g.num_edges() == s.num_edges,
                  path.string(), ": ", g.num_rows(), " × ", g.num_cols(), " with ", g.num_edges(),
                  " edges vs ", s.num_owned, " × ", local, " with ", s.num_edges, " from part.json");
  return g;
}

}  // namespace

Part load_part(const fs::path& dir, Index part_id) {
  const PartsManifest m = read_parts_manifest(dir);
  MOEGNN_CHECK_AS(IoError, kLoad, part_id >= 0 && part_id < m.num_parts,
                  (dir / "manifest.json").string(), ": wrong part count: part ", part_id,
                  " requested vs ", m.num_parts, " parts in the set; launch one rank per part "
                  "(mpirun -np ", m.num_parts, ")");
  const fs::path pdir = part_dir(dir, part_id);
  MOEGNN_CHECK_AS(IoError, kLoad, fs::is_directory(pdir), pdir.string(),
                  ": missing part directory (the manifest lists ", m.num_parts,
                  " parts); copy it from the partition output or partition again");
  const PartMeta s = read_part_meta(pdir, m, part_id);
  Part p;
  p.part_id = part_id;
  p.num_parts = m.num_parts;
  p.num_global_nodes = m.num_global_nodes;
  p.num_classes = m.num_classes;
  p.dataset_name = m.dataset_name;
  const Index n = m.num_global_nodes;
  const auto int32s = [&](const char* name, Index size, Index lo, Index hi) {
    IndexArray32 a = detail::read_int32(kLoad, pdir / name, size);
    check_range(pdir / name, a.host(), lo, hi);
    return a;
  };
  p.owned = int32s("owned.arr", s.num_owned, 0, n);
  p.halo = int32s("halo.arr", s.num_halo, 0, n);
  p.halo_owner = int32s("halo_owner.arr", s.num_halo, 0, m.num_parts);
  p.global_degree = int32s("global_degree.arr", s.num_owned + s.num_halo, 0, n + 1);
  p.features = detail::read_tensor(kLoad, pdir / "features.arr", s.num_owned, s.num_features);
  p.labels = int32s("labels.arr", s.num_owned, 0, std::max<Index>(m.num_classes, 1));
  p.train = int32s("train.arr", s.num_train, 0, s.num_owned);
  p.val = int32s("val.arr", s.num_val, 0, s.num_owned);
  p.test = int32s("test.arr", s.num_test, 0, s.num_owned);
  read_exchange_plan(pdir, s, p);
  p.graph = read_local_graph(pdir, s);
  return p;
}

}  // namespace moegnn::dist
