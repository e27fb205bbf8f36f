// SPDX-License-Identifier: Apache-2.0
// LINKX's twitch-e (MUSAE Twitch) and facebook100 schools with random splits: a tiny MUSAE folder
// written here (rows out of order, a repeated new_id, repeated feature ids), bad files named by
// line or key, and the shipped Twitch DE and facebook100 schools through the registry with the
// counts their manifests state.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "datasets/linkx.h"
#include "datasets/registry.h"
#include "tests/datasets/dataset_test_util.h"
#include "tests/support/data_dir.h"

namespace moegnn::datasets {
namespace {

using testing::TempDir;

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// 4 nodes: edges 0-1, 1-2, 2-3; node 3's row appears twice (the first wins: True).
void write_musae(const std::filesystem::path& dir, const std::string& target) {
  write(dir / "musae_XX_edges.csv", "from,to\n0,1\n2,1\n2,3\n");
  write(dir / "musae_XX_target.csv", target);
  write(dir / "musae_XX_features.json", R"({"2": [7, 7, 40], "0": [3], "1": [40, 3], "3": []})");
}

const std::string kTarget =
    "id,days,mature,views,partner,new_id\n"
    "11,100,True,5,False,3\n"
    "12,200,False,5,False,0\n"
    "13,300,True,5,True,2\n"
    "14,400,False,5,False,1\n"
    "15,500,False,5,False,3\n";

TEST(LinkxTwitchE, ReadsTheMusaeLayout) {
  TempDir tmp;
  write_musae(tmp.path(), kTarget);
  const LinkxDataset d = load_twitch_e(tmp.path(), "XX", {}, {.require_splits = false});
  EXPECT_EQ(d.data.name, "twitch-xx");
  EXPECT_EQ(d.data.labels.to_vector(), (std::vector<std::int32_t>{0, 0, 1, 1}));
  EXPECT_EQ(d.data.num_classes, 2);
  EXPECT_EQ(d.data.graph.num_edges(), 6);  // 3 undirected edges
  // Columns are the used ids 3, 7, 40; repeated ids set a 1.
  ASSERT_EQ(d.data.num_features(), 3);
  const auto x = d.data.features.host();
  EXPECT_EQ(x(2, 0), 0.0f);
  EXPECT_EQ(x(2, 1), 1.0f);
  EXPECT_EQ(x(2, 2), 1.0f);
  EXPECT_EQ(x(1, 0), 1.0f);
  EXPECT_EQ(x(3, 0) + x(3, 1) + x(3, 2), 0.0f);
  EXPECT_TRUE(d.data.splits.empty());
}

TEST(LinkxTwitchE, RandomSplitsWhenNoSplitFile) {
  TempDir tmp;
  write_musae(tmp.path(), kTarget);
  const LinkxDataset d =
      load_twitch_e(tmp.path(), "XX", {}, {.require_splits = false, .random_splits = 3});
  ASSERT_EQ(d.data.splits.size(), 3u);
  for (const NodeSplit& s : d.data.splits)
    EXPECT_EQ(s.train.size() + s.val.size() + s.test.size(), 4);
  EXPECT_EQ(linkx_random_splits(d, 3)[1].train.to_vector(), d.data.splits[1].train.to_vector());
}

TEST(LinkxTwitchE, NamesBadLinesAndKeys) {
  TempDir tmp;
  write_musae(tmp.path(), "id,days,mature,views,partner,new_id\n1,1,Maybe,1,False,0\n");
  EXPECT_THROW_WITH(load_twitch_e(tmp.path(), "XX", {}, {.require_splits = false}), IoError,
                    "line 2: mature is 'Maybe' vs True or False");
  write_musae(tmp.path(), "id,days,mature,views,partner,new_id\n1,1,True,1,False,0\n"
                          "2,1,True,1,False,2\n3,1,True,1,False,2\n");
  EXPECT_THROW_WITH(load_twitch_e(tmp.path(), "XX", {}, {.require_splits = false}), IoError,
                    "no line for new_id 1");
  write_musae(tmp.path(), "id,days,mature\n1,1,True\n");
  EXPECT_THROW_WITH(load_twitch_e(tmp.path(), "XX", {}, {.require_splits = false}), IoError,
                    "vs a column named new_id");
  write_musae(tmp.path(), kTarget);
  write(tmp.path() / "musae_XX_features.json", R"({"9": [1]})");
  EXPECT_THROW_WITH(load_twitch_e(tmp.path(), "XX", {}, {.require_splits = false}), IoError,
                    "key '9' vs a node id in [0, 4)");
  write(tmp.path() / "musae_XX_features.json", R"({"0": [1)");
  EXPECT_THROW_WITH(load_twitch_e(tmp.path(), "XX", {}, {.require_splits = false}), IoError,
                    "not valid JSON");
  write(tmp.path() / "musae_XX_features.json", R"({"0": [-1]})");
  EXPECT_THROW_WITH(load_twitch_e(tmp.path(), "XX", {}, {.require_splits = false}), IoError,
                    "feature id -1");
}

TEST(LinkxTwitchE, LoadsAMusaeFolderByPath) {
  TempDir tmp;
  write_musae(tmp.path(), kTarget);
  const NodeDataset d = load_node_dataset_file(tmp.path());
  EXPECT_EQ(d.num_nodes(), 4);
  EXPECT_EQ(d.splits.size(), 5u);  // no split file: LINKX's 5 random splits
}

TEST(LinkxTwitchE, TwitchDeMatchesItsManifest) {
  MOEGNN_REQUIRE_DATASET(dir, "twitch");
  const NodeDataset d = load_node_dataset("Twitch-DE", dir.parent_path(), {.download = false});
  EXPECT_EQ(d.name, "twitch-de");
  EXPECT_EQ(d.num_nodes(), 9498);
  EXPECT_EQ(d.graph.num_edges(), 2 * 153138);
  EXPECT_EQ(d.num_features(), 2514);  // distinct feature ids used
  EXPECT_EQ(d.num_classes, 2);
  Index mature = 0;
  for (const std::int32_t y : d.labels.host()) mature += y;
  EXPECT_EQ(mature, 5742);
  ASSERT_EQ(d.splits.size(), 5u);
  for (const NodeSplit& s : d.splits) {
    EXPECT_EQ(s.train.size(), 4749);
    EXPECT_EQ(s.val.size(), 2374);
    EXPECT_EQ(s.test.size(), 2375);
  }
}

TEST(LinkxFb100, SchoolsLoadWithRandomSplitsOfTheLabelledNodes) {
  MOEGNN_REQUIRE_DATASET(dir, "facebook100");
  const NodeDataset d = load_node_dataset("Johns Hopkins55", dir.parent_path(), {.download = false});
  EXPECT_EQ(d.name, "fb100-johns-hopkins55");
  EXPECT_EQ(d.num_nodes(), 5180);
  EXPECT_EQ(d.graph.num_edges(), 2 * 186586);
  EXPECT_EQ(d.num_classes, 2);
  ASSERT_EQ(d.splits.size(), 5u);
  const Index labelled = 5180 - 418;  // gender 0 is missing
  for (const NodeSplit& s : d.splits) {
    EXPECT_EQ(s.train.size() + s.val.size() + s.test.size(), labelled);
    EXPECT_EQ(s.train.size(), labelled / 2);  // round(0.5 · 4762)
    std::set<std::int32_t> seen(s.train.host().begin(), s.train.host().end());
    for (const IndexArray32* part : {&s.val, &s.test})
      for (const std::int32_t i : part->host()) EXPECT_TRUE(seen.insert(i).second) << i;
  }
  EXPECT_NE(d.splits[0].train.to_vector(), d.splits[1].train.to_vector());
  // The same school by path: the same graph and splits.
  const NodeDataset by_path = load_node_dataset_file(dir / "Johns Hopkins55.mat");
  EXPECT_EQ(by_path.splits[3].test.to_vector(), d.splits[3].test.to_vector());
}

}  // namespace
}  // namespace moegnn::datasets
