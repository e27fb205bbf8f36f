// SPDX-License-Identifier: Apache-2.0
// The dataset registry: names, kinds, errors, and loading from the shared data folder without
// downloads (downloads are tested against a local server in download_test.cpp).
#include <algorithm>

#include <gtest/gtest.h>

#include "core/error.h"
#include "datasets/registry.h"
#include "tests/datasets/dataset_test_util.h"
#include "tests/support/data_dir.h"

namespace moegnn::datasets {
namespace {

RegistryOptions offline() {
  RegistryOptions o;
  o.download = false;
  return o;
}

TEST(Registry, ListsEveryFamily) {
  const std::vector<DatasetInfo> all = list_datasets();
  const auto has = [&](const std::string& name, DatasetKind kind) {
    return std::any_of(all.begin(), all.end(),
                       [&](const DatasetInfo& i) { return i.name == name && i.kind == kind; });
  };
  for (const char* name :
       {"cora", "citeseer", "pubmed", "texas", "wisconsin", "cornell", "chameleon", "squirrel",
        "film", "cora-npz", "amazon-computers", "ogbn-arxiv", "csbm"})
    EXPECT_TRUE(has(name, DatasetKind::Node)) << name;
  EXPECT_TRUE(has("ogbl-ddi", DatasetKind::Link));
  EXPECT_TRUE(has("ml-100k", DatasetKind::Ratings));
  EXPECT_TRUE(has("ml-1m", DatasetKind::Ratings));
  EXPECT_EQ(dataset_info("cora-npz").folder, "gnn-benchmark-npz");
}

TEST(Registry, UnknownNameListsKnownNames) {
  EXPECT_THROW_WITH(dataset_info("coraa"), InvalidArgument,
                    "unknown dataset 'coraa' vs one of cora, citeseer");
  EXPECT_THROW_WITH(load_node_dataset("ogbl-ddi", "/nonexistent", offline()), InvalidArgument,
                    "load_link_dataset");
  EXPECT_THROW_WITH(load_ratings_dataset("cora", "/nonexistent", offline()), InvalidArgument,
                    "load_node_dataset");
}

TEST(Registry, MissingFileWithoutDownloadNamesIt) {
  testing::TempDir tmp;
  EXPECT_THROW_WITH(load_node_dataset("pubmed", tmp.path(), offline()), IoError,
                    (tmp / "pubmed" / "ind.pubmed.x").string());
  // No digest is recorded for PubMed's files: an official download needs allow_unverified, and
  // the check comes before any network access.
  RegistryOptions online;
  online.mirror = "";
  EXPECT_THROW_WITH(fetch_dataset("ogbn-arxiv", tmp.path(), online), IoError, "no SHA-256");
}

TEST(Registry, LoadsSharedDatasets) {
  MOEGNN_REQUIRE_DATASET(texas, "texas");
  const std::filesystem::path root = support::shared_datasets_dir();
  const NodeDataset t = load_node_dataset("texas", root, offline());
  EXPECT_EQ(t.num_nodes(), 183);  // texas/MANIFEST.md
  EXPECT_EQ(t.splits.size(), 10u);
  RegistryOptions published = offline();
  published.as_published = true;
  EXPECT_EQ(load_node_dataset("texas", root, published).graph.num_edges(), 325);
  if (std::filesystem::exists(root / "gnn-benchmark-npz")) {
    const NodeDataset c = load_node_dataset("cora-npz", root, offline());
    EXPECT_EQ(c.name, "cora-npz");
    EXPECT_EQ(c.num_nodes(), 2708);  // gnn-benchmark-npz/MANIFEST.md
  }
  if (std::filesystem::exists(root / "ml-100k")) {
    EXPECT_EQ(load_ratings_dataset("ml-100k", root, offline()).num_ratings(), 100000);
  }
}

TEST(Registry, NormalizeFeaturesAppliesToEveryFamily) {
  MOEGNN_REQUIRE_DATASET(texas, "texas");
  RegistryOptions o = offline();
  o.normalize_features = true;
  const NodeDataset t = load_node_dataset("texas", support::shared_datasets_dir(), o);
  for (Index r = 0; r < t.num_nodes(); ++r) {
    const float sum = t.features.host().row(r).sum();
    ASSERT_TRUE(sum == 0.0f || std::abs(sum - 1.0f) < 1e-5f) << r;
  }
}

TEST(Registry, GeneratesCsbm) {
  RegistryOptions o = offline();
  o.csbm.num_nodes = 200;
  const NodeDataset d = load_node_dataset("csbm", "/nonexistent", o);
  EXPECT_EQ(d.num_nodes(), 200);
  EXPECT_EQ(d.name, "csbm");
  EXPECT_NO_THROW(check(d));
}

TEST(NodeDataset, CheckCoversEverySplit) {
  RegistryOptions o = offline();
  o.csbm.num_nodes = 50;
  NodeDataset d = load_node_dataset("csbm", "/nonexistent", o);
  d.splits.push_back({IndexArray32{0, 1}, IndexArray32{1}, IndexArray32{2}});
  EXPECT_THROW_WITH(check(d), InvalidArgument, "splits[0].val id 1 is already in another split");
  d.splits[0] = {IndexArray32{0, 1}, IndexArray32{2}, IndexArray32{50}};
  EXPECT_THROW_WITH(check(d), InvalidArgument, "splits[0].test id 50 out of range");
  d.splits[0] = {IndexArray32{0, 1}, IndexArray32{2}, IndexArray32{3}};
  EXPECT_NO_THROW(check(d));
  use_split(d, 0);
  EXPECT_EQ(d.train.to_vector(), (std::vector<std::int32_t>{0, 1}));
  EXPECT_THROW_WITH(use_split(d, 1), InvalidArgument, "split index 1 out of range vs [0, 1)");
}

}  // namespace
}  // namespace moegnn::datasets
