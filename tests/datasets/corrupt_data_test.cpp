// SPDX-License-Identifier: Apache-2.0
// Corrupt data never trains silently: one case per kind of corrupt value, each on a tiny dataset
// written here (or on a temporary copy of a shared one): a nan/inf node feature, an empty or
// header-only edge file, a label far beyond the node count, a Planetoid test index near 2^30,
// and a directory or device where a file is expected. Each must throw IoError naming the file
// and the offending field; the strict defaults can be relaxed only by an explicit option.
#include <cmath>

#include <gtest/gtest.h>

#include "core/error.h"
#include "datasets/data_dir.h"
#include "datasets/geom_gcn.h"
#include "datasets/io/csv.h"
#include "datasets/io/file.h"
#include "datasets/ogb.h"
#include "datasets/planetoid.h"
#include "datasets/registry.h"
#include "tests/datasets/dataset_test_util.h"
#include "tests/support/data_dir.h"

namespace moegnn::datasets {
namespace {

using testing::TempDir;

// A 4-node Geom-GCN folder named like the registry's "texas" (dense features, a path 0-1-2-3).
void write_tiny_geom_gcn(const std::filesystem::path& dir, const std::string& features = "1,0") {
  testing::write_text(dir / "out1_node_feature_label.txt",
                      "node_id\tfeature\tlabel\n0\t" + features +
                          "\t0\n1\t0,1\t1\n2\t1,1\t0\n3\t0,0\t1\n");
  testing::write_text(dir / "out1_graph_edges.txt", "node_id\tnode_id\n0\t1\n1\t2\n2\t3\n");
}

RegistryOptions offline_unverified() {
  RegistryOptions o;
  o.download = false;
  o.verify_digests = false;  // the tiny files are not the official ones
  return o;
}

TEST(CorruptData, NonFiniteFeaturesAreRejectedUnlessAllowed) {
  // The case: texas with one nan trained to a flat loss and exit code 0.
  MOEGNN_REQUIRE_DATASET(texas, "texas");
  const std::string original = testing::read_text(texas / "out1_node_feature_label.txt");
  // The first node line: "<id>\t<f0>,<f1>,...\t<label>"; f0 becomes nan / inf / -inf.
  const std::size_t line = original.find('\n') + 1;
  const std::size_t tab = original.find('\t', line);
  const std::size_t comma = original.find(',', tab);
  const std::string id = original.substr(line, tab - line);
  for (const char* bad : {"nan", "inf", "-inf"}) {
    SCOPED_TRACE(bad);
    TempDir tmp;
    testing::copy_tree(texas, tmp / "texas");
    const std::filesystem::path file = tmp / "texas" / "out1_node_feature_label.txt";
    testing::write_text(file, original.substr(0, tab + 1) + bad + original.substr(comma));
    RegistryOptions o = offline_unverified();
    EXPECT_THROW_WITH(load_node_dataset("texas", tmp.path(), o), IoError,
                      "load_node_dataset: texas: node feature at row " + id + ", column 0 is ");
    EXPECT_THROW_WITH(load_node_dataset("texas", tmp.path(), o), IoError, file.string());
    // With digests checked (the default), the edited file no longer matches the official one.
    o.verify_digests = true;
    o.digest_cache_dir = tmp / "cache";
    EXPECT_THROW_WITH(load_node_dataset("texas", tmp.path(), o), IoError,
                      file.string() + ": SHA-256 is ");
    // Allowed on request: loaded as stored.
    o.verify_digests = false;
    o.allow_nonfinite_features = true;
    const NodeDataset d = load_node_dataset("texas", tmp.path(), o);
    EXPECT_FALSE(std::isfinite(d.features.host()(std::stoi(id), 0)));
  }
}

TEST(CorruptData, EmptyOrHeaderOnlyEdgeFilesAreErrors) {
  TempDir tmp;
  const GeomGcnOptions no_splits{.require_splits = false};
  write_tiny_geom_gcn(tmp.path());
  EXPECT_EQ(load_geom_gcn(tmp.path(), "x", no_splits).graph.num_edges(), 6);
  for (const char* text : {"node_id\tnode_id\n", ""}) {
    testing::write_text(tmp / "out1_graph_edges.txt", text);
    EXPECT_THROW_WITH(load_geom_gcn(tmp.path(), "x", no_splits), IoError,
                      (tmp / "out1_graph_edges.txt").string() +
                          ": 0 edges vs at least one for 4 nodes; the edge file is empty or "
                          "holds only its header");
  }
  // OGB's raw/edge.csv.gz (CSV, gzip): an empty file is no graph either.
  testing::write_gzip(tmp / "ogb" / "raw" / "num-node-list.csv.gz", "3\n");
  testing::write_gzip(tmp / "ogb" / "raw" / "edge.csv.gz", "");
  testing::write_gzip(tmp / "ogb" / "raw" / "node-label.csv.gz", "0\n1\n0\n");
  for (const char* s : {"train", "valid", "test"})
    testing::write_gzip(tmp / "ogb" / "split" / "random" / (std::string(s) + ".csv.gz"), "0\n");
  EXPECT_THROW_WITH(load_ogb_node(tmp / "ogb"), IoError, "edge.csv.gz: 0 edges vs at least one");
}

TEST(CorruptData, LabelsBeyondTheNodeCountAreErrors) {
  TempDir tmp;
  write_tiny_geom_gcn(tmp.path());
  testing::write_text(tmp / "out1_node_feature_label.txt",
                      "node_id\tfeature\tlabel\n0\t1,0\t0\n1\t0,1\t1\n2\t1,1\t2000000000\n"
                      "3\t0,0\t1\n");
  EXPECT_THROW_WITH(load_geom_gcn(tmp.path(), "x", {.require_splits = false}), IoError,
                    (tmp / "out1_node_feature_label.txt").string() +
                        ": label of node 2 is 2000000000 vs [0, 4)");
}

TEST(CorruptData, PlanetoidTestIndexIsBoundedByTheFiles) {
  MOEGNN_REQUIRE_DATASET(cora, "cora");
  TempDir tmp;
  testing::copy_tree(cora, tmp.path());
  std::string index = testing::read_text(cora / "ind.cora.test.index");
  // The first test id becomes one near 2^30 (it used to set the node count).
  index.replace(0, index.find('\n'), "1073741800");
  testing::write_text(tmp / "ind.cora.test.index", index);
  EXPECT_THROW_WITH(load_planetoid(tmp.path(), "cora"), IoError,
                    (tmp / "ind.cora.test.index").string() +
                        ": test id 1073741800 vs [1708, 2708)");
  // Just past the bound (allx + tx = 2708 rows, 2708 nodes in ind.cora.graph) is rejected too.
  index.replace(0, index.find('\n'), "2708");
  testing::write_text(tmp / "ind.cora.test.index", index);
  EXPECT_THROW_WITH(load_planetoid(tmp.path(), "cora"), IoError, "test id 2708 vs [1708, 2708)");
}

TEST(CorruptData, DirectoriesAndDevicesAreNamedAsSuch) {
  TempDir tmp;
  std::filesystem::create_directories(tmp / "dir");
  EXPECT_THROW_WITH(io::read_file(tmp / "dir"), IoError,
                    (tmp / "dir").string() + ": is a directory vs a regular file");
  EXPECT_THROW_WITH(io::read_file(tmp / "none"), IoError, ": no such file");
  EXPECT_THROW_WITH(io::read_file("/dev/null"), IoError,
                    "/dev/null: is not a regular file (a device, FIFO or socket)");
  EXPECT_THROW_WITH(io::read_csv_int64(tmp / "dir"), IoError, "is a directory");
  EXPECT_THROW_WITH(require_file(tmp / "dir", "load_x", "X file"), IoError,
                    "load_x: X file " + (tmp / "dir").string() + " is a directory");
  EXPECT_THROW_WITH(require_file("/dev/null", "load_x", "X file"), IoError,
                    "is not a regular file");
  // Through a loader: the Geom-GCN edge file is a folder.
  write_tiny_geom_gcn(tmp / "g");
  std::filesystem::remove(tmp / "g" / "out1_graph_edges.txt");
  std::filesystem::create_directories(tmp / "g" / "out1_graph_edges.txt");
  EXPECT_THROW_WITH(load_geom_gcn(tmp / "g", "x", {.require_splits = false}), IoError,
                    "out1_graph_edges.txt is a directory");
}

}  // namespace
}  // namespace moegnn::datasets
