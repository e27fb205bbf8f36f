// SPDX-License-Identifier: Apache-2.0
// Binary dataset cache: exact round trips of node and link datasets, and every kind of damage
// (flipped byte, truncation, wrong magic or kind, graph file from another conversion, missing
// graph) rejected with IoError.
#include <fstream>

#include <gtest/gtest.h>
#include <zlib.h>

#include "core/error.h"
#include "core/parallel.h"
#include "datasets/binary_cache.h"
#include "datasets/detail/container.h"
#include "datasets/geom_gcn.h"
#include "datasets/registry.h"
#include "tests/datasets/dataset_test_util.h"
#include "tests/support/data_dir.h"

namespace moegnn::datasets {
namespace {

using testing::TempDir;
using testing::flip_byte;

NodeDataset small_node_dataset(std::uint64_t seed) {
  RegistryOptions o;
  o.download = false;
  o.csbm.num_nodes = 300;
  o.csbm.seed = seed;
  NodeDataset d = load_node_dataset("csbm", "/nonexistent", o);
  d.splits = {{d.train, d.val, d.test}, {d.val, d.test, d.train}};
  return d;
}

void expect_same_graph(const graph::Csr& a, const graph::Csr& b) {
  ASSERT_EQ(a.num_rows(), b.num_rows());
  ASSERT_EQ(a.num_cols(), b.num_cols());
  EXPECT_EQ(a.row_ptr().to_vector(), b.row_ptr().to_vector());
  EXPECT_EQ(a.col_idx().to_vector(), b.col_idx().to_vector());
}

void expect_same(const NodeDataset& a, const NodeDataset& b) {
  expect_same_graph(a.graph, b.graph);
  EXPECT_EQ(Matrix(a.features.host()), Matrix(b.features.host()));
  EXPECT_EQ(a.labels.to_vector(), b.labels.to_vector());
  EXPECT_EQ(a.train.to_vector(), b.train.to_vector());
  EXPECT_EQ(a.val.to_vector(), b.val.to_vector());
  EXPECT_EQ(a.test.to_vector(), b.test.to_vector());
  EXPECT_EQ(a.num_classes, b.num_classes);
  EXPECT_EQ(a.name, b.name);
  ASSERT_EQ(a.splits.size(), b.splits.size());
  for (std::size_t i = 0; i < a.splits.size(); ++i) {
    EXPECT_EQ(a.splits[i].train.to_vector(), b.splits[i].train.to_vector());
    EXPECT_EQ(a.splits[i].val.to_vector(), b.splits[i].val.to_vector());
    EXPECT_EQ(a.splits[i].test.to_vector(), b.splits[i].test.to_vector());
  }
}

TEST(BinaryCache, NodeRoundTripIsExact) {
  TempDir tmp;
  const NodeDataset d = small_node_dataset(1);
  save_node_dataset(d, tmp / "csbm.mgd");
  EXPECT_TRUE(std::filesystem::exists(cache_graph_path(tmp / "csbm.mgd")));
  expect_same(d, load_node_dataset_binary(tmp / "csbm.mgd"));
  EXPECT_EQ(dataset_cache_kind(tmp / "csbm.mgd"), CacheKind::Node);
  EXPECT_EQ(dataset_cache_kind(cache_graph_path(tmp / "csbm.mgd")), CacheKind::None);
  // Only the two files remain: temporaries were renamed into place.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(tmp.path()),
                          std::filesystem::directory_iterator()),
            2);
}

TEST(BinaryCache, RealDatasetRoundTrip) {
  MOEGNN_REQUIRE_DATASET(dir, "texas");
  TempDir tmp;
  const NodeDataset d = load_geom_gcn(dir, "texas");
  save_node_dataset(d, tmp / "texas.mgd");
  expect_same(d, load_node_dataset_binary(tmp / "texas.mgd"));
  save_node_dataset(d, tmp / "texas.mgd");  // overwriting an existing cache
  expect_same(d, load_node_dataset_binary(tmp / "texas.mgd", /*verify_checksum=*/false));
}

LinkDataset small_link_dataset() {
  LinkDataset d;
  d.name = "tiny-link";
  d.graph = graph::Csr(4, 4, graph::EdgeIds{0, 1, 3, 4, 4}, graph::NodeIds{1, 0, 2, 1});
  d.features = Tensor::from_rows({{1, 2}, {3, 4}, {5, 6}, {7, 8}});
  d.train.pos = {graph::NodeIds{0, 1}, graph::NodeIds{1, 2}};
  d.train.edge_weight = Tensor::from_rows({{2}, {3}});
  d.train.year = IndexArray32{2019, 2020};
  d.val.pos = {graph::NodeIds{2}, graph::NodeIds{3}};
  d.val.neg = {graph::NodeIds{2, 2}, graph::NodeIds{0, 1}};
  d.val.negatives_per_positive = 2;
  d.test.pos = {graph::NodeIds{0}, graph::NodeIds{3}};
  d.test.neg = {graph::NodeIds{1, 0, 3}, graph::NodeIds{3, 2, 0}};
  return d;
}

TEST(BinaryCache, LinkRoundTripIsExact) {
  TempDir tmp;
  const LinkDataset d = small_link_dataset();
  save_link_dataset(d, tmp / "link.mgd");
  EXPECT_EQ(dataset_cache_kind(tmp / "link.mgd"), CacheKind::Link);
  const LinkDataset r = load_link_dataset_binary(tmp / "link.mgd");
  EXPECT_EQ(r.name, d.name);
  expect_same_graph(r.graph, d.graph);
  EXPECT_EQ(Matrix(r.features.host()), Matrix(d.features.host()));
  using Pair = std::pair<const LinkSplit*, const LinkSplit*>;
  for (const auto& [a, b] :
       {Pair{&r.train, &d.train}, Pair{&r.val, &d.val}, Pair{&r.test, &d.test}}) {
    EXPECT_EQ(a->pos.src.to_vector(), b->pos.src.to_vector());
    EXPECT_EQ(a->pos.dst.to_vector(), b->pos.dst.to_vector());
    EXPECT_EQ(a->neg.src.to_vector(), b->neg.src.to_vector());
    EXPECT_EQ(a->neg.dst.to_vector(), b->neg.dst.to_vector());
    EXPECT_EQ(a->negatives_per_positive, b->negatives_per_positive);
    EXPECT_EQ(a->year.to_vector(), b->year.to_vector());
    EXPECT_EQ(a->edge_weight.size(), b->edge_weight.size());
  }
  EXPECT_EQ(r.train.edge_weight.host()(1, 0), 3.0f);
  EXPECT_THROW_WITH(load_node_dataset_binary(tmp / "link.mgd"), IoError, "kind 2 vs 1");
}

TEST(BinaryCache, RejectsCorruptFiles) {
  TempDir tmp;
  const std::filesystem::path path = tmp / "csbm.mgd";
  save_node_dataset(small_node_dataset(1), path);
  const std::string pristine = testing::read_text(path);
  // A flipped byte in the payload: caught by the checksum only.
  flip_byte(path, std::filesystem::file_size(path) - 100);
  EXPECT_THROW_WITH(load_node_dataset_binary(path), IoError, "checksum mismatch");
  testing::write_text(path, pristine.substr(0, pristine.size() - 64));
  EXPECT_THROW_WITH(load_node_dataset_binary(path), IoError, "truncated");
  testing::write_text(path, pristine.substr(0, 50));
  EXPECT_THROW_WITH(load_node_dataset_binary(path), IoError, "50 bytes");
  testing::write_text(path, "NOTMOEGN" + pristine.substr(8));
  EXPECT_THROW_WITH(load_node_dataset_binary(path), IoError, "bad magic");
  std::string future = pristine;
  future[8] = 9;  // version field
  testing::write_text(path, future);
  EXPECT_THROW_WITH(load_node_dataset_binary(path), IoError, "format version 9 vs 1");
  testing::write_text(path, pristine);
  EXPECT_NO_THROW(load_node_dataset_binary(path));
  std::filesystem::remove(tmp / "missing.mgd");
  EXPECT_THROW_WITH(load_node_dataset_binary(tmp / "missing.mgd"), IoError, "missing.mgd");
}

TEST(BinaryCache, RejectsGraphFromAnotherConversion) {
  TempDir tmp;
  save_node_dataset(small_node_dataset(1), tmp / "a.mgd");
  save_node_dataset(small_node_dataset(2), tmp / "b.mgd");
  std::filesystem::copy_file(cache_graph_path(tmp / "b.mgd"), cache_graph_path(tmp / "a.mgd"),
                             std::filesystem::copy_options::overwrite_existing);
  EXPECT_THROW_WITH(load_node_dataset_binary(tmp / "a.mgd"), IoError, "different conversions");
  std::filesystem::remove(cache_graph_path(tmp / "a.mgd"));
  EXPECT_THROW_WITH(load_node_dataset_binary(tmp / "a.mgd"), IoError, "a.mgd.graph");
}

TEST(BinaryCache, RefusesInvalidDatasets) {
  TempDir tmp;
  NodeDataset d = small_node_dataset(1);
  d.labels = IndexArray32{0, 1};
  EXPECT_THROW(save_node_dataset(d, tmp / "bad.mgd"), InvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(tmp / "bad.mgd"));
}

TEST(BinaryCache, ChunkedCrcEqualsSerialCrcOnAnyThreadCount) {
  std::vector<unsigned char> bytes((std::size_t{9} << 20) + 12345);
  for (std::size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<unsigned char>((i * 2654435761u) >> 13);
  const auto serial = static_cast<std::uint32_t>(::crc32_z(17, bytes.data(), bytes.size()));
  for (const int threads : {1, 2, 0}) {
    set_num_threads(threads);
    EXPECT_EQ(detail::crc32_bytes(17, bytes.data(), bytes.size()), serial) << threads;
  }
  set_num_threads(0);
}

}  // namespace
}  // namespace moegnn::datasets
