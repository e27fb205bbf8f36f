// SPDX-License-Identifier: Apache-2.0
// OGB loaders: ogbl-ddi from the shared files (counts from ../shared/datasets/ogbl-ddi/MANIFEST.md)
// and small ogbn/ogbl folders in OGB's raw layout written by the tests (gzip via zlib), since no
// ogbn set is shipped.
#include <set>

#include <gtest/gtest.h>

#include "core/error.h"
#include "datasets/ogb.h"
#include "tests/datasets/dataset_test_util.h"
#include "tests/support/data_dir.h"

namespace moegnn::datasets {
namespace {

using testing::TempDir;
using testing::write_gzip;

TEST(OgbLink, DdiMatchesManifest) {
  MOEGNN_REQUIRE_DATASET(dir, "ogbl-ddi");
  const LinkDataset d = load_ogb_link(dir);
  // ogbl-ddi/MANIFEST.md: 4267 nodes; train.pt is missing, so the 1,067,911 training edges come
  // from raw/edge.csv.gz (each undirected edge once); valid 133,489 positives / 101,882
  // negatives; test 133,489 / 95,599; no node features.
  EXPECT_EQ(d.name, "ogbl-ddi");
  EXPECT_EQ(d.num_nodes(), 4267);
  EXPECT_EQ(d.train.pos.size(), 1067911);
  EXPECT_EQ(d.graph.num_edges(), 2 * 1067911);  // no self-loops or duplicate pairs (manifest)
  EXPECT_EQ(d.val.pos.size(), 133489);
  EXPECT_EQ(d.val.neg.size(), 101882);
  EXPECT_EQ(d.test.pos.size(), 133489);
  EXPECT_EQ(d.test.neg.size(), 95599);
  EXPECT_EQ(d.val.negatives_per_positive, 0);
  EXPECT_TRUE(d.train.neg.src.empty());
  EXPECT_TRUE(d.features.empty());
  // Valid positives are not training edges (manifest: the sets are disjoint).
  for (Index k = 0; k < 1000; ++k) {
    const auto nbrs = d.graph.neighbors(d.val.pos.dst[k]);
    ASSERT_FALSE(std::binary_search(nbrs.begin(), nbrs.end(), d.val.pos.src[k]));
  }
}

// 6 nodes, 2 features, 3 classes, split folder `time`.
void write_node_set(const std::filesystem::path& dir) {
  write_gzip(dir / "raw" / "num-node-list.csv.gz", "6\n");
  write_gzip(dir / "raw" / "edge.csv.gz", "0,1\n1,2\n2,0\n3,4\n4,4\n5,3\n1,0\n");
  write_gzip(dir / "raw" / "node-feat.csv.gz", "0.5,1\n1,2\n-1,0.25\n3,3\n4,4\n5,5\n");
  write_gzip(dir / "raw" / "node-label.csv.gz", "0\n2\n1\n1\n0\n2\n");
  write_gzip(dir / "split" / "time" / "train.csv.gz", "3\n0\n1\n");
  write_gzip(dir / "split" / "time" / "valid.csv.gz", "2\n5\n");
  write_gzip(dir / "split" / "time" / "test.csv.gz", "4\n");
}

TEST(OgbNode, LoadsRawLayout) {
  TempDir tmp;
  const std::filesystem::path dir = tmp / "ogbn-tiny";
  write_node_set(dir);
  const NodeDataset d = load_ogb_node(dir);
  EXPECT_EQ(d.name, "ogbn-tiny");
  EXPECT_EQ(d.num_nodes(), 6);
  EXPECT_EQ(d.num_classes, 3);
  EXPECT_EQ(d.labels.to_vector(), (std::vector<std::int32_t>{0, 2, 1, 1, 0, 2}));
  EXPECT_EQ(Matrix(d.features.host()),
            (Matrix(6, 2) << 0.5f, 1, 1, 2, -1, 0.25f, 3, 3, 4, 4, 5, 5).finished());
  // Undirected pairs {0,1}, {1,2}, {0,2}, {3,4}, {3,5}; the loop 4-4 and the repeat 1-0 go.
  EXPECT_EQ(d.graph.num_edges(), 10);
  EXPECT_TRUE(testing::symmetric_without_loops(d.graph));
  EXPECT_EQ(d.train.to_vector(), (std::vector<std::int32_t>{0, 1, 3}));
  EXPECT_EQ(d.val.to_vector(), (std::vector<std::int32_t>{2, 5}));
  EXPECT_EQ(d.test.to_vector(), (std::vector<std::int32_t>{4}));
  std::filesystem::remove(dir / "raw" / "node-feat.csv.gz");
  EXPECT_EQ(load_ogb_node(dir).num_features(), 0);  // features are optional
}

TEST(OgbNode, RejectsMalformedFiles) {
  TempDir tmp;
  const std::filesystem::path dir = tmp / "ogbn-tiny";
  write_node_set(dir);
  write_gzip(dir / "raw" / "node-label.csv.gz", "0\n2\n1\n1\n0\n");
  EXPECT_THROW_WITH(load_ogb_node(dir), IoError, "5 labels vs 6 nodes");
  write_gzip(dir / "raw" / "node-label.csv.gz", "0\n2\n1\n1\n0\n2\n");
  write_gzip(dir / "raw" / "edge.csv.gz", "0,1\n1,6\n");
  EXPECT_THROW_WITH(load_ogb_node(dir), IoError, "edge.csv.gz");
  write_gzip(dir / "raw" / "edge.csv.gz", "0,1\n");
  write_gzip(dir / "split" / "time" / "test.csv.gz", "9\n");
  EXPECT_THROW_WITH(load_ogb_node(dir), IoError, "node id 9 out of range");
  write_gzip(dir / "split" / "time" / "test.csv.gz", "4\n");
  write_gzip(dir / "split" / "random" / "test.csv.gz", "4\n");
  EXPECT_THROW_WITH(load_ogb_node(dir), IoError, "2 split folders (random, time)");
  EXPECT_NO_THROW(load_ogb_node(dir, {.split_type = "time"}));
  std::filesystem::remove(dir / "raw" / "node-label.csv.gz");
  EXPECT_THROW_WITH(load_ogb_node(dir, {.split_type = "time"}), IoError,
                    (dir / "raw" / "node-label.csv.gz").string());
}

TEST(OgbLink, TrainEdgesFromRawWhenTrainPtIsMissing) {
  MOEGNN_REQUIRE_DATASET(ddi, "ogbl-ddi");
  TempDir tmp;
  const std::filesystem::path dir = tmp / "ogbl-small";
  std::filesystem::create_directories(dir / "split" / "target");
  for (const char* f : {"valid.pt", "test.pt"})
    std::filesystem::copy_file(ddi / "split" / "target" / f, dir / "split" / "target" / f);
  write_gzip(dir / "raw" / "num-node-list.csv.gz", "4267\n");
  write_gzip(dir / "raw" / "edge.csv.gz", "0,1\n1,2\n4266,0\n");
  write_gzip(dir / "raw" / "edge_weight.csv.gz", "1\n2\n3\n");
  const LinkDataset d = load_ogb_link(dir);
  EXPECT_EQ(d.train.pos.size(), 3);
  EXPECT_EQ(d.graph.num_edges(), 6);
  ASSERT_EQ(d.train.edge_weight.rows(), 3);
  EXPECT_EQ(d.train.edge_weight.host()(2, 0), 3.0f);
  EXPECT_EQ(d.val.pos.size(), 133489);
  write_gzip(dir / "raw" / "num-node-list.csv.gz", "100\n");  // valid.pt ids reach 4266
  EXPECT_THROW_WITH(load_ogb_link(dir), IoError, "out of range vs [0, 100)");
  std::filesystem::remove(dir / "split" / "target" / "valid.pt");
  write_gzip(dir / "raw" / "num-node-list.csv.gz", "4267\n");
  EXPECT_THROW_WITH(load_ogb_link(dir), IoError, "valid.pt");
}

}  // namespace
}  // namespace moegnn::datasets
