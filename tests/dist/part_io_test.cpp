// SPDX-License-Identifier: Apache-2.0
// Part files: write_parts then load_part gives back build_part's parts exactly; the manifest
// records the set; a missing manifest or part directory, a part of another set, a wrong part
// count, a truncated or corrupt file are refused by name.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "datasets/csbm.h"
#include "dist/part.h"
#include "dist/partition.h"
#include "tests/support/temp_dir.h"

namespace moegnn::dist {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

datasets::NodeDataset small(std::uint64_t seed = 4) {
  auto d = datasets::csbm({.num_nodes = 300, .num_classes = 3, .num_features = 5,
                           .avg_degree = 6.0, .homophily = 0.9, .seed = seed});
  d.name = "csbm-300";
  Tensor values = Tensor::empty(d.graph.num_edges(), 1);
  for (Index e = 0; e < d.graph.num_edges(); ++e) values.data()[e] = 0.25f * static_cast<float>(e % 7);
  d.graph = d.graph.with_values(values);
  return d;
}

void expect_same(const IndexArray32& a, const IndexArray32& b, const char* what) {
  EXPECT_EQ(a.to_vector(), b.to_vector()) << what;
}

void expect_same_part(const Part& a, const Part& b) {
  EXPECT_EQ(a.part_id, b.part_id);
  EXPECT_EQ(a.num_parts, b.num_parts);
  EXPECT_EQ(a.num_global_nodes, b.num_global_nodes);
  EXPECT_EQ(a.num_classes, b.num_classes);
  EXPECT_EQ(a.dataset_name, b.dataset_name);
  expect_same(a.owned, b.owned, "owned");
  expect_same(a.halo, b.halo, "halo");
  expect_same(a.halo_owner, b.halo_owner, "halo_owner");
  expect_same(a.global_degree, b.global_degree, "global_degree");
  expect_same(a.labels, b.labels, "labels");
  expect_same(a.train, b.train, "train");
  expect_same(a.val, b.val, "val");
  expect_same(a.test, b.test, "test");
  ASSERT_EQ(a.send.size(), b.send.size());
  for (std::size_t q = 0; q < a.send.size(); ++q) expect_same(a.send[q], b.send[q], "send");
  EXPECT_EQ(a.recv_offset, b.recv_offset);
  ASSERT_TRUE(a.features.same_shape(b.features));
  EXPECT_EQ(a.features.host(), b.features.host());
  EXPECT_EQ(a.graph.row_ptr().to_vector(), b.graph.row_ptr().to_vector());
  EXPECT_EQ(a.graph.col_idx().to_vector(), b.graph.col_idx().to_vector());
  EXPECT_EQ(a.graph.num_cols(), b.graph.num_cols());
  ASSERT_EQ(a.graph.has_values(), b.graph.has_values());
  if (a.graph.has_values()) {
    EXPECT_EQ(a.graph.values().host(), b.graph.values().host());
  }
}

struct Written {
  datasets::NodeDataset d = small();
  IndexArray32 a;
  testing::TempDir tmp;
  fs::path dir = tmp / "parts";
  explicit Written(Index parts = 3) {
    a = partition_nodes(d.graph, d.train, {.num_parts = parts, .seed = 6});
    write_parts(d, a, parts, PartsWriteOptions{.method = "metis", .seed = 6}, dir);
  }
};

template <typename F>
void expect_io_error(F&& f, const std::vector<std::string>& parts) {
  try {
    f();
    ADD_FAILURE() << "no throw; expected " << parts.back();
  } catch (const IoError& e) {
    for (const auto& p : parts) EXPECT_THAT(e.what(), HasSubstr(p));
  }
}

TEST(PartIo, RoundTripAndManifest) {
  Written w(3);
  const PartsManifest m = read_parts_manifest(w.dir);
  EXPECT_EQ(m.num_parts, 3);
  EXPECT_EQ(m.num_global_nodes, 300);
  EXPECT_EQ(m.num_features, 5);
  EXPECT_EQ(m.num_classes, 3);
  EXPECT_EQ(m.num_edges, w.d.graph.num_edges());
  EXPECT_EQ(m.dataset_name, "csbm-300");
  EXPECT_EQ(m.method, "metis");
  EXPECT_EQ(m.seed, 6U);
  EXPECT_EQ(m.graph_digest.size(), 64U);
  const auto stats = partition_stats(w.d.graph, w.d.train, w.a, 3);
  EXPECT_EQ(m.stats.edge_cut, stats.edge_cut);
  EXPECT_EQ(m.stats.halo_volume, stats.halo_volume);
  EXPECT_EQ(m.stats.nodes, stats.nodes);
  EXPECT_EQ(m.stats.train, stats.train);
  for (Index k = 0; k < 3; ++k) expect_same_part(load_part(w.dir, k), build_part(w.d, w.a, k, 3));
}

TEST(PartIo, DigestDependsOnGraphAndAssignment) {
  Written w(2);
  testing::TempDir other;
  auto a2 = w.a.clone();
  a2.host()[0] = 1 - a2.host()[0];
  write_parts(w.d, a2, 2, "random", other / "p");
  EXPECT_NE(read_parts_manifest(other / "p").graph_digest, read_parts_manifest(w.dir).graph_digest);
  write_parts(w.d, w.a, 2, "metis", other / "q");
  EXPECT_EQ(read_parts_manifest(other / "q").graph_digest, read_parts_manifest(w.dir).graph_digest);
}

TEST(PartIo, MissingManifestOrPartDirIsRefused) {
  Written w(2);
  fs::remove_all(w.dir / "part-1");
  expect_io_error([&] { load_part(w.dir, 1); }, {"dist::load_part", "part-1", "missing part directory"});
  EXPECT_NO_THROW(load_part(w.dir, 0));
  fs::remove(w.dir / "manifest.json");
  expect_io_error([&] { load_part(w.dir, 0); }, {"manifest.json", "missing"});
  expect_io_error([&] { read_parts_manifest(w.tmp / "nowhere"); }, {"dist::read_parts_manifest", "missing"});
}

TEST(PartIo, WrongPartCountIsRefused) {
  Written w(2);
  expect_io_error([&] { load_part(w.dir, 2); }, {"dist::load_part", "part 2 requested vs 2 parts"});
  expect_io_error([&] { load_part(w.dir, -1); }, {"dist::load_part", "wrong part count"});
}

TEST(PartIo, PartOfAnotherSetIsRefused) {
  Written w(2);
  testing::TempDir other;
  const auto d2 = small(99);
  write_parts(d2, partition_nodes(d2.graph, d2.train, {.num_parts = 2}), 2, "metis", other / "p");
  fs::remove_all(w.dir / "part-1");
  fs::copy(other / "p" / "part-1", w.dir / "part-1", fs::copy_options::recursive);
  expect_io_error([&] { load_part(w.dir, 1); },
                  {"dist::load_part", "part-1/part.json", "a part of another set: digest"});
}

void flip_byte(const fs::path& path, std::uint64_t offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(offset));
  const int c = f.get();
  f.seekp(static_cast<std::streamoff>(offset));
  f.put(static_cast<char>(c ^ 0x5a));
}

TEST(PartIo, TruncatedOrCorruptFileIsRefused) {
  Written w(2);
  int n = 0;
  for (const std::string file : {"features.arr", "owned.arr", "send.arr", "recv_offset.arr", "graph.csr"}) {
    // A copy of the set per damage (copying is much cheaper than writing: no fsync).
    const auto copy = [&] {
      const fs::path dir = w.tmp / ("copy" + std::to_string(n++));
      fs::copy(w.dir, dir, fs::copy_options::recursive);
      return dir;
    };
    const fs::path truncated = copy();
    fs::resize_file(truncated / "part-0" / file, fs::file_size(truncated / "part-0" / file) - 3);
    expect_io_error([&] { load_part(truncated, 0); }, {"dist::load_part", file});
    EXPECT_NO_THROW(load_part(truncated, 1));
    const fs::path corrupt = copy();
    flip_byte(corrupt / "part-0" / file, fs::file_size(corrupt / "part-0" / file) - 2);
    expect_io_error([&] { load_part(corrupt, 0); }, {"dist::load_part", file});
  }
  const fs::path path = w.dir / "part-1" / "halo.arr";
  flip_byte(path, 20);  // in the header: the shape
  expect_io_error([&] { load_part(w.dir, 1); }, {"dist::load_part", "halo.arr"});
  fs::remove(path);
  expect_io_error([&] { load_part(w.dir, 1); }, {"dist::load_part", "halo.arr", "missing"});
}

TEST(PartIo, RewriteReplacesTheSet) {
  Written w(3);
  const auto d = w.d;
  const auto a = partition_nodes(d.graph, d.train, {.num_parts = 2, .method = PartitionMethod::Random});
  write_parts(d, a, 2, "random", w.dir);
  const auto m = read_parts_manifest(w.dir);
  EXPECT_EQ(m.num_parts, 2);
  EXPECT_EQ(m.method, "random");
  expect_same_part(load_part(w.dir, 1), build_part(d, a, 1, 2));
  // A bad assignment throws before anything is written: the old set stays loadable.
  EXPECT_THROW(write_parts(d, IndexArray32({0, 1}), 2, "random", w.dir), InvalidArgument);
  EXPECT_NO_THROW(load_part(w.dir, 0));
}

}  // namespace
}  // namespace moegnn::dist
