// SPDX-License-Identifier: Apache-2.0
// Node and link datasets <-> container sections + graph file.
#include "datasets/binary_cache.h"

#include <cstdio>
#include <cstring>
#include <string>

#include "core/error.h"
#include "graph/io.h"
#include "datasets/detail/container.h"

namespace moegnn::datasets {
namespace {

constexpr std::uint32_t kNodeKind = 1;
constexpr std::uint32_t kLinkKind = 2;

detail::GraphFingerprint fingerprint(const graph::Csr& g) {
  detail::GraphFingerprint f{g.num_rows(), g.num_cols(), g.num_edges(), 0};
  f.crc32 =
      detail::crc32_bytes(0, g.row_ptr().data(), static_cast<std::size_t>(g.num_rows() + 1) * 8);
  f.crc32 =
      detail::crc32_bytes(f.crc32, g.col_idx().data(), static_cast<std::size_t>(g.num_edges()) * 4);
  if (g.has_values())
    f.crc32 = detail::crc32_bytes(f.crc32, g.values().data(),
                                  static_cast<std::size_t>(g.num_edges()) * 4);
  return f;
}

// The graph file, checked against the container's fingerprint.
graph::Csr load_graph(const std::filesystem::path& path, const detail::ContainerReader& c,
                      bool verify_checksum) {
  const std::filesystem::path graph_path = cache_graph_path(path);
  graph::Csr g = graph::load_csr(graph_path, graph::LoadMode::Mmap, /*verify_checksum=*/false);
  detail::GraphFingerprint got{g.num_rows(), g.num_cols(), g.num_edges(), c.graph().crc32};
  if (verify_checksum) got = fingerprint(g);
  MOEGNN_CHECK_AS(IoError, "load_dataset_cache", got == c.graph(), graph_path.string(), ": graph ",
                  got.rows, " x ", got.cols, " with ", got.nnz, " edges (CRC ", got.crc32, ") vs ",
                  c.graph().rows, " x ", c.graph().cols, " with ", c.graph().nnz, " (CRC ",
                  c.graph().crc32, ") recorded in ", path.string(),
                  "; the files come from different conversions or the graph is corrupt");
  return g;
}

void add_link_split(detail::ContainerWriter& w, const std::string& part, const LinkSplit& s) {
  w.add(part + ".pos.src", s.pos.src);
  w.add(part + ".pos.dst", s.pos.dst);
  w.add(part + ".neg.src", s.neg.src);
  w.add(part + ".neg.dst", s.neg.dst);
  w.add(part + ".neg_per_pos", IndexArray64{s.negatives_per_positive});
  w.add(part + ".edge_weight", s.edge_weight);
  w.add(part + ".year", s.year);
}

LinkSplit read_link_split(const detail::ContainerReader& r, const std::string& part) {
  LinkSplit s;
  s.pos = {r.int32s(part + ".pos.src"), r.int32s(part + ".pos.dst")};
  s.neg = {r.int32s(part + ".neg.src"), r.int32s(part + ".neg.dst")};
  const IndexArray64 k = r.int64s(part + ".neg_per_pos");
  s.negatives_per_positive = k.size() == 1 ? k[0] : -1;
  s.edge_weight = r.tensor(part + ".edge_weight");
  s.year = r.int32s(part + ".year");
  return s;
}

// Runs check() on a loaded dataset, reporting a violation as a corrupt file.
template <typename Dataset>
void check_loaded(const Dataset& d, const std::filesystem::path& path) {
  try {
    check(d);
  } catch (const InvalidArgument& e) {
    MOEGNN_FAIL(IoError, "load_dataset_cache", path.string(), ": invalid dataset: ", e.what());
  }
}

}  // namespace

std::filesystem::path cache_graph_path(const std::filesystem::path& path) {
  return std::filesystem::path(path.string() + ".graph");
}

void save_node_dataset(const NodeDataset& d, const std::filesystem::path& path) {
  check(d);
  detail::ContainerWriter w;
  w.add("name", d.name);
  w.add("num_classes", IndexArray64{d.num_classes});
  w.add("features", d.features);
  w.add("labels", d.labels);
  w.add("train", d.train);
  w.add("val", d.val);
  w.add("test", d.test);
  w.add("num_splits", IndexArray64{static_cast<std::int64_t>(d.splits.size())});
  for (std::size_t i = 0; i < d.splits.size(); ++i) {
    const std::string prefix = "split." + std::to_string(i) + ".";
    w.add(prefix + "train", d.splits[i].train);
    w.add(prefix + "val", d.splits[i].val);
    w.add(prefix + "test", d.splits[i].test);
  }
  const graph::Csr g = d.graph.to(Device::Cpu);
  graph::save_csr(g, cache_graph_path(path));
  w.write(path, kNodeKind, fingerprint(g));
}

NodeDataset load_node_dataset_binary(const std::filesystem::path& path, bool verify_checksum) {
  const detail::ContainerReader r(path, kNodeKind, verify_checksum);
  NodeDataset d;
  d.name = r.bytes("name");
  const IndexArray64 classes = r.int64s("num_classes");
  d.num_classes = classes.size() == 1 ? classes[0] : 0;
  d.features = r.tensor("features");
  d.labels = r.int32s("labels");
  d.train = r.int32s("train");
  d.val = r.int32s("val");
  d.test = r.int32s("test");
  const IndexArray64 num_splits = r.int64s("num_splits");
  const std::int64_t count = num_splits.size() == 1 ? num_splits[0] : 0;
  MOEGNN_CHECK_AS(IoError, "load_dataset_cache", count >= 0 && count <= 1024, path.string(), ": ",
                  count, " splits vs [0, 1024]");
  for (std::int64_t i = 0; i < count; ++i) {
    const std::string prefix = "split." + std::to_string(i) + ".";
    d.splits.push_back(
        {r.int32s(prefix + "train"), r.int32s(prefix + "val"), r.int32s(prefix + "test")});
  }
  d.graph = load_graph(path, r, verify_checksum);
  check_loaded(d, path);
  return d;
}

void save_link_dataset(const LinkDataset& d, const std::filesystem::path& path) {
  check(d);
  detail::ContainerWriter w;
  w.add("name", d.name);
  w.add("features", d.features);
  add_link_split(w, "train", d.train);
  add_link_split(w, "val", d.val);
  add_link_split(w, "test", d.test);
  const graph::Csr g = d.graph.to(Device::Cpu);
  graph::save_csr(g, cache_graph_path(path));
  w.write(path, kLinkKind, fingerprint(g));
}

LinkDataset load_link_dataset_binary(const std::filesystem::path& path, bool verify_checksum) {
  const detail::ContainerReader r(path, kLinkKind, verify_checksum);
  LinkDataset d;
  d.name = r.bytes("name");
  d.features = r.tensor("features");
  d.train = read_link_split(r, "train");
  d.val = read_link_split(r, "val");
  d.test = read_link_split(r, "test");
  d.graph = load_graph(path, r, verify_checksum);
  check_loaded(d, path);
  return d;
}

CacheKind dataset_cache_kind(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return CacheKind::None;
  unsigned char head[16] = {};
  const bool ok = std::fread(head, 1, sizeof(head), f) == sizeof(head);
  std::fclose(f);
  if (!ok || std::memcmp(head, "MOEGNND\0", 8) != 0) return CacheKind::None;
  std::uint32_t kind = 0;
  std::memcpy(&kind, head + 12, sizeof(kind));  // after magic and version
  return kind == kNodeKind   ? CacheKind::Node
         : kind == kLinkKind ? CacheKind::Link
                             : CacheKind::None;
}

}  // namespace moegnn::datasets
