// SPDX-License-Identifier: Apache-2.0
// Planetoid loader on the shared Cora and CiteSeer files. Expected counts come from
// ../shared/datasets/{cora,citeseer}/MANIFEST.md ("Integrity checks"); the test-row reordering
// is checked against tx/ty/test.index read independently with the format readers.
#include <algorithm>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "core/error.h"
#include "datasets/detail/loader_util.h"
#include "datasets/io/pickle.h"
#include "datasets/io/py_convert.h"
#include "datasets/io/text_table.h"
#include "datasets/planetoid.h"
#include "tests/datasets/dataset_test_util.h"
#include "tests/support/data_dir.h"

namespace moegnn::datasets {
namespace {

using testing::TempDir;

std::vector<std::int64_t> test_index(const std::filesystem::path& dir, const std::string& name) {
  return io::read_int_table(dir / ("ind." + name + ".test.index"), {.separator = ""}).values;
}

TEST(Planetoid, CoraMatchesManifest) {
  MOEGNN_REQUIRE_DATASET(dir, "cora");
  const NodeDataset d = load_planetoid(dir, "cora");
  // cora/MANIFEST.md: 2708 nodes, 5278 undirected = 10556 directed edges, 1433 features,
  // 7 classes, 20 training labels per class, test.index = 1000 ids in [1708, 2707].
  EXPECT_EQ(d.num_nodes(), 2708);
  EXPECT_EQ(d.graph.num_edges(), 10556);
  EXPECT_TRUE(testing::symmetric_without_loops(d.graph));
  EXPECT_EQ(d.num_features(), 1433);
  EXPECT_EQ(d.num_classes, 7);
  ASSERT_EQ(d.train.size(), 140);
  EXPECT_EQ(d.val.size(), 500);
  EXPECT_EQ(d.test.size(), 1000);
  EXPECT_EQ(d.train[0], 0);
  EXPECT_EQ(d.train[139], 139);
  EXPECT_EQ(d.val[0], 140);
  EXPECT_EQ(d.val[499], 639);
  EXPECT_EQ(d.test[0], 1708);
  EXPECT_EQ(d.test[999], 2707);
  std::map<int, int> per_class;
  for (const std::int32_t id : d.train.host()) ++per_class[d.labels[id]];
  for (int c = 0; c < 7; ++c) EXPECT_EQ(per_class[c], 20) << "class " << c;
  EXPECT_EQ(d.name, "cora");
}

TEST(Planetoid, CoraGeomGcnSplits) {
  MOEGNN_REQUIRE_DATASET(dir, "cora");
  NodeDataset d = load_planetoid(dir, "cora");
  ASSERT_EQ(d.splits.size(), 10u);
  // cora/MANIFEST.md: split 0 has 1192/796/497 train/val/test nodes.
  EXPECT_EQ(d.splits[0].train.size(), 1192);
  EXPECT_EQ(d.splits[0].val.size(), 796);
  EXPECT_EQ(d.splits[0].test.size(), 497);
  for (const NodeSplit& s : d.splits) {
    // Geom-GCN's files split the nodes they cover about 48/32/20 % (manifests).
    const auto n = static_cast<double>(s.train.size() + s.val.size() + s.test.size());
    EXPECT_NEAR(static_cast<double>(s.train.size()) / n, 0.48, 0.02);
    EXPECT_NEAR(static_cast<double>(s.val.size()) / n, 0.32, 0.02);
    EXPECT_NEAR(static_cast<double>(s.test.size()) / n, 0.20, 0.02);
  }
  use_split(d, 3);
  EXPECT_EQ(d.train.to_vector(), d.splits[3].train.to_vector());
  EXPECT_THROW(use_split(d, 10), InvalidArgument);
  EXPECT_EQ(load_planetoid(dir, "cora", {.geom_gcn_splits = false}).splits.size(), 0u);
}

TEST(Planetoid, TestRowsFollowTestIndex) {
  MOEGNN_REQUIRE_DATASET(dir, "cora");
  const NodeDataset d = load_planetoid(dir, "cora");
  const Tensor tx = io::to_dense_tensor(io::read_pickle(dir / "ind.cora.tx"));
  const std::vector<std::int32_t> ty =
      detail::argmax_rows(io::to_dense_tensor(io::read_pickle(dir / "ind.cora.ty")));
  const std::vector<std::int64_t> index = test_index(dir, "cora");
  ASSERT_EQ(static_cast<Index>(index.size()), tx.rows());
  for (std::size_t i = 0; i < index.size(); ++i) {
    ASSERT_TRUE(d.features.host().row(index[i]).isApprox(tx.host().row(static_cast<Index>(i))))
        << "test row " << i << " (node " << index[i] << ")";
    ASSERT_EQ(d.labels[index[i]], ty[i]);
  }
  const Tensor allx = io::to_dense_tensor(io::read_pickle(dir / "ind.cora.allx"));
  EXPECT_TRUE(d.features.host().topRows(allx.rows()).isApprox(allx.host()));
}

TEST(Planetoid, CiteSeerPadsIsolatedTestNodes) {
  MOEGNN_REQUIRE_DATASET(dir, "citeseer");
  const NodeDataset d = load_planetoid(dir, "citeseer");
  // citeseer/MANIFEST.md: 3327 nodes (15 padded), 4552 undirected = 9104 directed edges,
  // 3703 features, 6 classes, 120 training rows, 1000 test ids; Geom-GCN split 0: 1596/1065/666.
  EXPECT_EQ(d.num_nodes(), 3327);
  EXPECT_EQ(d.graph.num_edges(), 9104);
  EXPECT_TRUE(testing::symmetric_without_loops(d.graph));
  EXPECT_EQ(d.num_features(), 3703);
  EXPECT_EQ(d.num_classes, 6);
  EXPECT_EQ(d.train.size(), 120);
  EXPECT_EQ(d.val.size(), 500);
  EXPECT_EQ(d.test.size(), 1000);
  ASSERT_EQ(d.splits.size(), 10u);
  EXPECT_EQ(d.splits[0].train.size(), 1596);
  EXPECT_EQ(d.splits[0].val.size(), 1065);
  EXPECT_EQ(d.splits[0].test.size(), 666);
  const std::vector<std::int64_t> index = test_index(dir, "citeseer");
  const std::set<std::int64_t> listed(index.begin(), index.end());
  int padded = 0;
  for (Index v = 2312; v < 3327; ++v) {
    if (listed.count(v) != 0) continue;
    ++padded;
    EXPECT_EQ(d.features.host().row(v).squaredNorm(), 0.0f) << "node " << v;
    EXPECT_EQ(d.labels[v], 0);
  }
  EXPECT_EQ(padded, 15);
}

TEST(Planetoid, NormalizeFeaturesGivesUnitRowSums) {
  MOEGNN_REQUIRE_DATASET(dir, "cora");
  const NodeDataset raw = load_planetoid(dir, "cora", {.geom_gcn_splits = false});
  const NodeDataset d = load_planetoid(dir, "cora", {.normalize_features = true});
  for (Index r = 0; r < d.num_nodes(); ++r) {
    const float sum = raw.features.host().row(r).sum();
    if (sum == 0.0f) continue;
    ASSERT_NEAR(d.features.host().row(r).sum(), 1.0f, 1e-5f);
    ASSERT_NEAR(d.features.host()(r, 0), raw.features.host()(r, 0) / sum, 1e-6f);
  }
}

TEST(Planetoid, MissingFileNamesThePath) {
  MOEGNN_REQUIRE_DATASET(dir, "cora");
  TempDir tmp;
  testing::copy_tree(dir, tmp.path());
  std::filesystem::remove(tmp / "ind.cora.tx");
  EXPECT_THROW_WITH(load_planetoid(tmp.path(), "cora"), IoError, (tmp / "ind.cora.tx").string());
  EXPECT_THROW_WITH(load_planetoid(tmp.path(), "pubmed"), IoError, "ind.pubmed.x");
}

TEST(Planetoid, RejectsInconsistentFiles) {
  MOEGNN_REQUIRE_DATASET(cora, "cora");
  MOEGNN_REQUIRE_DATASET(citeseer, "citeseer");
  TempDir tmp;
  testing::copy_tree(cora, tmp.path());
  // Label count mismatch: CiteSeer's y (120 rows, 6 classes) next to Cora's x (140 rows).
  std::filesystem::copy_file(citeseer / "ind.citeseer.y", tmp / "ind.cora.y",
                             std::filesystem::copy_options::overwrite_existing);
  EXPECT_THROW_WITH(load_planetoid(tmp.path(), "cora"), IoError, "ind.y has 120 rows vs 140");
  std::filesystem::copy_file(cora / "ind.cora.y", tmp / "ind.cora.y",
                             std::filesystem::copy_options::overwrite_existing);
  // A test id inside the allx rows, then a repeated test id.
  std::string index = testing::read_text(cora / "ind.cora.test.index");
  testing::write_text(tmp / "ind.cora.test.index", "5\n" + index.substr(index.find('\n') + 1));
  EXPECT_THROW_WITH(load_planetoid(tmp.path(), "cora"), IoError, "test id 5");
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < index.size();) {
    const std::size_t end = index.find('\n', at);
    lines.push_back(index.substr(at, end - at));
    at = end + 1;
  }
  lines[1] = lines[0];
  std::string repeated;
  for (const std::string& line : lines) repeated += line + "\n";
  testing::write_text(tmp / "ind.cora.test.index", repeated);
  EXPECT_THROW_WITH(load_planetoid(tmp.path(), "cora"), IoError, "appears twice");
  testing::write_text(tmp / "ind.cora.test.index", "1708\nabc\n");
  EXPECT_THROW_WITH(load_planetoid(tmp.path(), "cora"), IoError, "test.index");
}

}  // namespace
}  // namespace moegnn::datasets
