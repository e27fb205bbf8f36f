// SPDX-License-Identifier: Apache-2.0
// datasets/ogb_graph.h on files this test writes in OGB's graph-property layout (gzip, as OGB
// ships them): per-graph local ids placed block-diagonally, edges stored by destination with their
// features, NaN labels, the split, and counts that disagree between files.
#include <cmath>

#include <gtest/gtest.h>

#include "core/error.h"
#include "datasets/ogb_graph.h"
#include "tests/datasets/dataset_test_util.h"

namespace moegnn::datasets {
namespace {

using testing::TempDir;
using testing::write_gzip;

// Graph 0: 3 nodes, edges 0->1, 1->0, 1->2 (local ids); graph 1: 2 nodes, edge 1->0. Two tasks,
// one label missing.
void write_ogbg(const TempDir& dir) {
  std::filesystem::create_directories(dir / "ogbg-tiny/raw");
  std::filesystem::create_directories(dir / "ogbg-tiny/split/scaffold");
  const auto raw = [&](const char* f) { return dir / (std::string("ogbg-tiny/raw/") + f); };
  write_gzip(raw("num-node-list.csv.gz"), "3\n2\n");
  write_gzip(raw("num-edge-list.csv.gz"), "3\n1\n");
  write_gzip(raw("edge.csv.gz"), "0,1\n1,0\n1,2\n1,0\n");
  write_gzip(raw("node-feat.csv.gz"), "1,0\n2,0\n3,0\n4,1\n5,1\n");
  write_gzip(raw("edge-feat.csv.gz"), "10\n11\n12\n13\n");
  write_gzip(raw("graph-label.csv.gz"), "1,0\n0,\n");
  const auto split = [&](const char* f) {
    return dir / (std::string("ogbg-tiny/split/scaffold/") + f);
  };
  write_gzip(split("train.csv.gz"), "0\n");
  write_gzip(split("valid.csv.gz"), "1\n");
  write_gzip(split("test.csv.gz"), "1\n");
}

TEST(OgbGraphDataset, ReadsTheRawLayout) {
  TempDir dir;
  write_ogbg(dir);
  const GraphDataset d = load_ogb_graph_dataset(dir / "ogbg-tiny");
  EXPECT_EQ(d.name, "ogbg-tiny");
  EXPECT_EQ(d.num_graphs(), 2);
  EXPECT_EQ(d.graphs.ptr.to_vector(), (std::vector<graph::EdgeId>{0, 3, 5}));
  // Rows are destinations: row 0 <- 1, row 1 <- 0, row 2 <- 1, row 3 <- 4 (graph 1's 1->0).
  EXPECT_EQ(d.graphs.graph.row_ptr().to_vector(), (std::vector<graph::EdgeId>{0, 1, 2, 3, 4, 4}));
  EXPECT_EQ(d.graphs.graph.col_idx().to_vector(), (std::vector<graph::NodeId>{1, 0, 1, 4}));
  // Edge features follow: 0->1 is line 1 (10) and lands at row 1 (CSR edge 1).
  EXPECT_EQ(d.edge_attr.host()(1, 0), 10.0f);
  EXPECT_EQ(d.edge_attr.host()(0, 0), 11.0f);
  EXPECT_EQ(d.edge_attr.host()(3, 0), 13.0f);
  EXPECT_EQ(d.graphs.x.host()(4, 0), 5.0f);
  ASSERT_EQ(d.targets.cols(), 2);
  EXPECT_EQ(d.targets.host()(0, 0), 1.0f);
  EXPECT_TRUE(std::isnan(d.targets.host()(1, 1)));
  EXPECT_TRUE(d.labels.empty());  // two tasks: no class labels
  EXPECT_EQ(d.train, (std::vector<graph::NodeId>{0}));
  EXPECT_EQ(d.test, (std::vector<graph::NodeId>{1}));
  graph::check_graph_batch(d.graphs, "test");
}

TEST(OgbGraphDataset, OneBinaryTaskAlsoGivesClassLabels) {
  TempDir dir;
  write_ogbg(dir);
  write_gzip(dir / "ogbg-tiny/raw/graph-label.csv.gz", "1\n0\n");
  const GraphDataset d = load_ogb_graph_dataset(dir / "ogbg-tiny", "scaffold");
  EXPECT_EQ(d.labels.to_vector(), (std::vector<std::int32_t>{1, 0}));
  EXPECT_EQ(d.num_classes, 2);
}

TEST(OgbGraphDataset, RejectsFilesThatDisagree) {
  TempDir dir;
  write_ogbg(dir);
  write_gzip(dir / "ogbg-tiny/raw/edge.csv.gz",
             "0,1\n1,0\n1,3\n1,0\n");  // node 3 of a 3-node graph
  EXPECT_THROW_WITH(load_ogb_graph_dataset(dir / "ogbg-tiny"), IoError,
                    "edge.csv.gz: line 3: node id 3 vs [0, 3) (graph 0)");
  write_gzip(dir / "ogbg-tiny/raw/edge.csv.gz", "0,1\n1,0\n1,2\n");
  EXPECT_THROW_WITH(load_ogb_graph_dataset(dir / "ogbg-tiny"), IoError,
                    "3 lines vs 4 edges in num-edge-list.csv.gz");
  write_gzip(dir / "ogbg-tiny/raw/edge.csv.gz", "0,1\n1,0\n1,2\n1,0\n");
  write_gzip(dir / "ogbg-tiny/split/scaffold/test.csv.gz", "2\n");
  EXPECT_THROW_WITH(load_ogb_graph_dataset(dir / "ogbg-tiny"), IoError,
                    "test.csv.gz: line 1: graph id 2 vs [0, 2)");
  std::filesystem::remove(dir / "ogbg-tiny/raw/graph-label.csv.gz");
  EXPECT_THROW_WITH(load_ogb_graph_dataset(dir / "ogbg-tiny"), IoError, "graph-label.csv.gz");
}

}  // namespace
}  // namespace moegnn::datasets
