// SPDX-License-Identifier: Apache-2.0
// datasets/tu.h and the graph-dataset helpers: the three shared TU sets load with the published
// counts; a hand-written TU set with every optional file gives the expected features, edges and
// labels; missing and inconsistent files name the file and the line; stratified folds partition
// the graphs by class; the random-graph generator is seeded.
#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "core/error.h"
#include "datasets/graph_dataset.h"
#include "datasets/tu.h"
#include "tests/datasets/dataset_test_util.h"
#include "tests/support/data_dir.h"

namespace moegnn::datasets {
namespace {

using testing::TempDir;
using testing::write_text;

struct Counts {
  const char* name;
  Index graphs, nodes, lines, classes, features;
};

TEST(TuDataset, SharedSetsHaveThePublishedCounts) {
  MOEGNN_REQUIRE_DATASET(root, "tu");
  // features: one-hot node labels (+ attributes): MUTAG 7, PROTEINS 3 + 1, ENZYMES 3 + 18.
  for (const Counts c :
       {Counts{"MUTAG", 188, 3371, 7442, 2, 7}, Counts{"PROTEINS", 1113, 43471, 162088, 2, 4},
        Counts{"ENZYMES", 600, 19580, 74564, 6, 21}}) {
    const GraphDataset d = load_tu_dataset(root / c.name);
    EXPECT_EQ(d.num_graphs(), c.graphs) << c.name;
    EXPECT_EQ(d.graphs.num_nodes(), c.nodes) << c.name;
    EXPECT_EQ(d.graphs.graph.num_edges(), c.lines) << c.name;
    EXPECT_EQ(d.num_classes, c.classes) << c.name;
    EXPECT_EQ(d.num_features(), c.features) << c.name;
    graph::check_graph_batch(d.graphs, c.name);
  }
  const GraphDataset mutag = load_tu_dataset(root / "MUTAG");
  EXPECT_EQ(mutag.edge_attr.cols(), 4);  // one-hot bond types
  Index positives = 0;
  for (Index g = 0; g < mutag.num_graphs(); ++g) positives += mutag.labels[g];
  EXPECT_EQ(positives, 125);  // label 1 -> class 1 (label -1 -> class 0: 63 graphs)
}

// Two graphs: a triangle (nodes 1-3) and an edge (nodes 4-5); labels 5 and -2.
void write_small(const TempDir& dir) {
  std::filesystem::create_directories(dir / "S");
  write_text(dir / "S/S_A.txt", "1, 2\n2, 1\n2, 3\n3, 2\n1, 3\n3, 1\n4, 5\n5, 4\n1, 2\n");
  write_text(dir / "S/S_graph_indicator.txt", "1\n1\n1\n2\n2\n");
  write_text(dir / "S/S_graph_labels.txt", "5\n-2\n");
  write_text(dir / "S/S_node_labels.txt", "1\n3\n2\n1\n1\n");
  write_text(dir / "S/S_node_attributes.txt", " 0.5, 1.0\n 1.5, 2.0\n2.5,3\n4,4\n5,5\n");
  write_text(dir / "S/S_edge_labels.txt", "0\n0\n1\n1\n0\n0\n1\n1\n1\n");
}

TEST(TuDataset, ReadsEveryFileOfASmallSet) {
  TempDir dir;
  write_small(dir);
  const GraphDataset d = load_tu_dataset(dir / "S");
  EXPECT_EQ(d.name, "S");
  EXPECT_EQ(d.num_graphs(), 2);
  EXPECT_EQ(d.labels.to_vector(), (std::vector<std::int32_t>{1, 0}));  // sorted: -2 -> 0, 5 -> 1
  EXPECT_EQ(d.graphs.ptr.to_vector(), (std::vector<graph::EdgeId>{0, 3, 5}));
  // The repeated line "1, 2" is merged: 8 edges.
  EXPECT_EQ(d.graphs.graph.num_edges(), 8);
  EXPECT_EQ(d.graphs.graph.col_idx().to_vector(),
            (std::vector<graph::NodeId>{1, 2, 0, 2, 0, 1, 4, 3}));
  // Node 1: label 3 -> one-hot column 2 of 3, then attributes 1.5, 2.0.
  const Matrix expected_row = (Matrix(1, 5) << 0, 0, 1, 1.5f, 2.0f).finished();
  EXPECT_EQ(Matrix(d.graphs.x.host().row(1)), expected_row);
  // Edge features in CSR order: edge 0 is line 1 (label 0), edge 3 is 2->3, line 3 (label 1).
  ASSERT_EQ(d.edge_attr.rows(), 8);
  EXPECT_EQ(d.edge_attr.host()(0, 0), 1.0f);
  EXPECT_EQ(d.edge_attr.host()(3, 1), 1.0f);
}

TEST(TuDataset, MissingAndInconsistentFilesNameTheFileAndLine) {
  {
    TempDir dir;
    write_small(dir);
    std::filesystem::remove(dir / "S/S_graph_indicator.txt");
    EXPECT_THROW_WITH(load_tu_dataset(dir / "S"), IoError, "S_graph_indicator.txt");
  }
  {
    TempDir dir;
    write_small(dir);
    std::filesystem::remove(dir / "S/S_graph_labels.txt");
    EXPECT_THROW_WITH(load_tu_dataset(dir / "S"), IoError, "missing file");
  }
  {
    TempDir dir;
    write_small(dir);
    write_text(dir / "S/S_node_labels.txt", "1\n3\n2\n1\n");  // 4 lines for 5 nodes
    EXPECT_THROW_WITH(load_tu_dataset(dir / "S"), IoError,
                      "S_node_labels.txt:5: 4 lines vs 5 (nodes in the graph indicator)");
  }
  {
    TempDir dir;
    write_small(dir);
    write_text(dir / "S/S_node_attributes.txt", "0.5, 1\n1.5, 2\n2.5\n4, 4\n5, 5\n");
    EXPECT_THROW_WITH(load_tu_dataset(dir / "S"), IoError,
                      "S_node_attributes.txt:3: 1 values vs 2 (as on line 1)");
  }
  {
    TempDir dir;
    write_small(dir);
    write_text(dir / "S/S_A.txt", "1, 2\n2, 1\n3, 4\n");
    EXPECT_THROW_WITH(load_tu_dataset(dir / "S"), IoError,
                      "S_A.txt:3: edge joins graph 1 and graph 2");
  }
  {
    TempDir dir;
    write_small(dir);
    write_text(dir / "S/S_A.txt", "1, 2\n2, x\n");
    EXPECT_THROW_WITH(load_tu_dataset(dir / "S"), IoError, "S_A.txt");
  }
  {
    TempDir dir;
    write_small(dir);
    write_text(dir / "S/S_A.txt", "1, 2\n2, 9\n");
    EXPECT_THROW_WITH(load_tu_dataset(dir / "S"), IoError, "S_A.txt:2: node id 9 vs 1..5");
  }
  {
    TempDir dir;
    write_small(dir);
    write_text(dir / "S/S_graph_indicator.txt", "1\n1\n1\n3\n3\n");
    EXPECT_THROW_WITH(load_tu_dataset(dir / "S"), IoError,
                      "S_graph_indicator.txt:4: graph id 3 after 1");
  }
  {
    TempDir dir;
    write_small(dir);
    write_text(dir / "S/S_edge_labels.txt", "0\n0\n1\n");
    EXPECT_THROW_WITH(load_tu_dataset(dir / "S"), IoError, "S_edge_labels.txt:4: 3 lines vs 9");
  }
}

TEST(StratifiedKFold, PartitionsEachClassEvenlyAndIsSeeded) {
  std::vector<std::int32_t> y;
  for (int i = 0; i < 100; ++i) y.push_back(i % 4 == 0 ? 1 : 0);  // 25 positives
  const IndexArray32 labels(y);
  const auto folds = stratified_k_fold(labels, 10, 3);
  ASSERT_EQ(folds.size(), 10u);
  std::multiset<graph::NodeId> tests;
  for (const GraphFold& f : folds) {
    EXPECT_EQ(f.test.size(), 10u);
    EXPECT_EQ(f.train.size() + f.val.size() + f.test.size(), 100u);
    Index pos = 0;
    for (const graph::NodeId g : f.test) pos += y[static_cast<std::size_t>(g)];
    EXPECT_TRUE(pos == 2 || pos == 3) << pos;
    std::vector<graph::NodeId> overlap;
    std::set_intersection(f.train.begin(), f.train.end(), f.test.begin(), f.test.end(),
                          std::back_inserter(overlap));
    EXPECT_TRUE(overlap.empty());
    tests.insert(f.test.begin(), f.test.end());
  }
  EXPECT_EQ(tests.size(), 100u);
  EXPECT_EQ(std::set<graph::NodeId>(tests.begin(), tests.end()).size(), 100u);
  EXPECT_EQ(stratified_k_fold(labels, 10, 3)[4].test, folds[4].test);
  EXPECT_NE(stratified_k_fold(labels, 10, 4)[4].test, folds[4].test);
  EXPECT_THROW(stratified_k_fold(labels, 2, 1), InvalidArgument);
}

TEST(RandomGraphDataset, IsSeededAndBalanced) {
  const GraphDataset a = random_graph_dataset({.num_graphs = 60, .seed = 5});
  const GraphDataset b = random_graph_dataset({.num_graphs = 60, .seed = 5});
  EXPECT_EQ(a.graphs.graph.col_idx().to_vector(), b.graphs.graph.col_idx().to_vector());
  EXPECT_EQ(a.labels.to_vector(), b.labels.to_vector());
  EXPECT_EQ(a.num_graphs(), 60);
  EXPECT_EQ(a.num_features(), 9);
  std::vector<int> per_class(3);
  for (Index g = 0; g < 60; ++g) ++per_class[static_cast<std::size_t>(a.labels[g])];
  EXPECT_EQ(per_class, (std::vector<int>{20, 20, 20}));
  graph::check_graph_batch(a.graphs, "test");
}

}  // namespace
}  // namespace moegnn::datasets
