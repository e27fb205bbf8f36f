// SPDX-License-Identifier: Apache-2.0
// Geom-GCN loader on the shared WebKB and Wikipedia sets. Expected counts are those of
// ../shared/datasets/<name>/MANIFEST.md ("Integrity checks": node lines, class counts, edge lines,
// self-loops, distinct undirected non-loop pairs, split sizes); the edge set is also compared
// with a plain reading of out1_graph_edges.txt.
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include <gtest/gtest.h>

#include "core/error.h"
#include "datasets/geom_gcn.h"
#include "tests/datasets/dataset_test_util.h"
#include "tests/support/data_dir.h"

namespace moegnn::datasets {
namespace {

using testing::TempDir;

struct Expected {
  const char* name;
  Index nodes, features;
  std::vector<int> class_counts;
  Index undirected_pairs, edge_lines;  // non-loop pairs; lines as published (no duplicates)
  Index train, val, test;              // the same in every split
};

// What GoogleTest prints for a parameter (instead of its bytes).
void PrintTo(const Expected& e, std::ostream* os) { *os << e.name; }

// Numbers from each dataset's MANIFEST.md.
const Expected kSets[] = {
    {"texas", 183, 1703, {33, 1, 18, 101, 30}, 279, 325, 87, 59, 37},
    {"wisconsin", 251, 1703, {10, 70, 118, 32, 21}, 450, 515, 120, 80, 51},
    {"cornell", 183, 1703, {38, 16, 30, 82, 17}, 277, 298, 87, 59, 37},
    {"chameleon", 2277, 2325, {456, 460, 453, 521, 387}, 31371, 36101, 1092, 729, 456},
};

class GeomGcnSets : public ::testing::TestWithParam<Expected> {};

TEST_P(GeomGcnSets, CountsMatchManifest) {
  const Expected& e = GetParam();
  MOEGNN_REQUIRE_DATASET(dir, e.name);
  const NodeDataset d = load_geom_gcn(dir, e.name);
  EXPECT_EQ(d.num_nodes(), e.nodes);
  EXPECT_EQ(d.num_features(), e.features);
  EXPECT_EQ(d.num_classes, 5);
  std::vector<int> counts(5, 0);
  for (const std::int32_t y : d.labels.host()) ++counts[static_cast<std::size_t>(y)];
  EXPECT_EQ(counts, e.class_counts);
  EXPECT_EQ(d.graph.num_edges(), 2 * e.undirected_pairs);
  EXPECT_TRUE(testing::symmetric_without_loops(d.graph));
  ASSERT_EQ(d.splits.size(), 10u);
  for (const NodeSplit& s : d.splits) {
    EXPECT_EQ(s.train.size(), e.train);
    EXPECT_EQ(s.val.size(), e.val);
    EXPECT_EQ(s.test.size(), e.test);
    EXPECT_EQ(s.train.size() + s.val.size() + s.test.size(), e.nodes);  // masks cover all nodes
  }
  EXPECT_EQ(d.train.to_vector(), d.splits[0].train.to_vector());
  const NodeDataset published = load_geom_gcn(dir, e.name, {.as_published = true});
  EXPECT_EQ(published.graph.num_edges(), e.edge_lines);
}

INSTANTIATE_TEST_SUITE_P(Manifests, GeomGcnSets, ::testing::ValuesIn(kSets),
                         [](const auto& info) { return std::string(info.param.name); });

// The undirected non-loop pairs of an edge file, read without the library.
std::set<std::pair<int, int>> reference_pairs(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string header;
  std::getline(in, header);
  std::set<std::pair<int, int>> pairs;
  int a = 0, b = 0;
  while (in >> a >> b)
    if (a != b) pairs.insert({std::min(a, b), std::max(a, b)});
  return pairs;
}

TEST(GeomGcn, TexasEdgeSetEqualsFile) {
  MOEGNN_REQUIRE_DATASET(dir, "texas");
  const NodeDataset d = load_geom_gcn(dir, "texas");
  std::set<std::pair<int, int>> got;
  for (Index r = 0; r < d.num_nodes(); ++r)
    for (const graph::NodeId c : d.graph.neighbors(r))
      got.insert({std::min<int>(static_cast<int>(r), c), std::max<int>(static_cast<int>(r), c)});
  EXPECT_EQ(got, reference_pairs(dir / "out1_graph_edges.txt"));
}

// A 4-node set in film's sparse layout, lines shuffled.
void write_film_like(const std::filesystem::path& dir) {
  testing::write_text(dir / "out1_node_feature_label.txt",
                      "node_id\tfeature(feature_amount:5)\tlabel\n"
                      "2\t0,5\t1\n0\t3\t0\n3\t1,2\t2\n1\t4,0\t1\n");
  testing::write_text(dir / "out1_graph_edges.txt",
                      "node_id\tnode_id\n0\t1\n1\t2\n2\t2\n2\t3\n0\t1\n");
}

TEST(GeomGcn, SparseFeatureLinesAreScatteredById) {
  TempDir tmp;
  write_film_like(tmp.path());
  const NodeDataset d = load_geom_gcn(tmp.path(), "film", {.require_splits = false});
  ASSERT_EQ(d.num_nodes(), 4);
  ASSERT_EQ(d.num_features(), 6);  // largest index + 1, as PyG's Actor loader
  const Matrix expected = (Matrix(4, 6) << 0, 0, 0, 1, 0, 0,  //
                           1, 0, 0, 0, 1, 0,                  //
                           1, 0, 0, 0, 0, 1,                  //
                           0, 1, 1, 0, 0, 0)
                              .finished();
  EXPECT_EQ(Matrix(d.features.host()), expected);
  EXPECT_EQ(d.labels.to_vector(), (std::vector<std::int32_t>{0, 1, 1, 2}));
  EXPECT_EQ(d.graph.num_edges(), 6);  // {0,1}, {1,2}, {2,3} both ways; loop and duplicate gone
  const NodeDataset published =
      load_geom_gcn(tmp.path(), "film", {.as_published = true, .require_splits = false});
  EXPECT_EQ(published.graph.num_edges(), 4);  // 0->1, 1->2, 2->2, 2->3
  EXPECT_THROW_WITH(load_geom_gcn(tmp.path(), "film"), IoError, "film_split_0.6_0.2_0.npz");
}

TEST(GeomGcn, RejectsMalformedDirectories) {
  TempDir tmp;
  write_film_like(tmp.path());
  const GeomGcnOptions no_splits{.require_splits = false};
  testing::write_text(tmp / "out1_graph_edges.txt", "node_id\tnode_id\n0\t1\n1\t4\n");
  EXPECT_THROW_WITH(load_geom_gcn(tmp.path(), "x", no_splits), IoError, "out1_graph_edges.txt");
  testing::write_text(tmp / "out1_graph_edges.txt", "node_id\tnode_id\n0\t1\n");
  testing::write_text(tmp / "out1_node_feature_label.txt",
                      "node_id\tfeature\tlabel\n0\t1,0\t0\n1\t0,1\t1\n3\t1,1\t0\n");
  EXPECT_THROW_WITH(load_geom_gcn(tmp.path(), "x", no_splits), IoError, "has id 3 out of range");
  testing::write_text(tmp / "out1_node_feature_label.txt",
                      "node_id\tfeature\tlabel\n0\t1,0\t0\n1\t0,1,1\t1\n");
  EXPECT_THROW_WITH(load_geom_gcn(tmp.path(), "x", no_splits), IoError, "has 3 features vs 2");
  testing::write_text(tmp / "out1_node_feature_label.txt", "node_id\tfeature\tlabel\n0\t1,0\n");
  EXPECT_THROW(load_geom_gcn(tmp.path(), "x", no_splits), IoError);
  std::filesystem::remove(tmp / "out1_graph_edges.txt");
  EXPECT_THROW_WITH(load_geom_gcn(tmp.path(), "x", no_splits), IoError,
                    (tmp / "out1_graph_edges.txt").string());
}

TEST(GeomGcn, RejectsSplitsOfAnotherSize) {
  MOEGNN_REQUIRE_DATASET(texas, "texas");
  MOEGNN_REQUIRE_DATASET(wisconsin, "wisconsin");
  TempDir tmp;
  testing::copy_tree(wisconsin, tmp.path());
  for (int k = 0; k < 10; ++k) {
    const std::string suffix = "_split_0.6_0.2_" + std::to_string(k) + ".npz";
    std::filesystem::copy_file(texas / "splits" / ("texas" + suffix),
                               tmp / "splits" / ("wisconsin" + suffix),
                               std::filesystem::copy_options::overwrite_existing);
  }
  EXPECT_THROW_WITH(load_geom_gcn(tmp.path(), "wisconsin"), IoError, "183 entries vs 251 nodes");
  std::filesystem::remove(tmp / "splits" / "wisconsin_split_0.6_0.2_4.npz");
  EXPECT_THROW_WITH(read_geom_gcn_splits(tmp / "splits", "wisconsin", 183), IoError,
                    "wisconsin_split_0.6_0.2_4.npz");
}

}  // namespace
}  // namespace moegnn::datasets
