// SPDX-License-Identifier: Apache-2.0
// Platonov et al.'s .npz layout (datasets/heterophilous.h) on files written here in that layout:
// the graph made undirected, the published splits, the binary sets' ROC-AUC, and every malformed
// member named.
#include "datasets/heterophilous.h"

#include <gtest/gtest.h>

#include "datasets/registry.h"
#include "tests/datasets/dataset_test_util.h"
#include "tests/datasets/npz_writer.h"

namespace moegnn::datasets {
namespace {

using testing::TempDir;
using Members = std::vector<std::pair<std::string, std::string>>;

// 6 nodes, 3 features, labels `labels`, a path 0-1-2-3-4-5 plus a self-loop and a reversed
// duplicate, and two splits.
Members members(const std::vector<std::int64_t>& labels) {
  std::vector<float> x(18);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i) * 0.5f;
  const std::vector<std::int64_t> edges{0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 2, 2, 1, 0};
  const std::vector<bool> train{1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0};
  const std::vector<bool> val{0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0};
  const std::vector<bool> test{0, 0, 0, 1, 1, 1, 0, 1, 0, 0, 1, 1};
  return {{"node_features", testing::npy_f32(x, {6, 3})},
          {"node_labels", testing::npy_i64(labels, {6})},
          {"edges", testing::npy_i64(edges, {7, 2})},
          {"train_masks", testing::npy_bool(train, {2, 6})},
          {"val_masks", testing::npy_bool(val, {2, 6})},
          {"test_masks", testing::npy_bool(test, {2, 6})}};
}

Members with(Members m, const std::string& key, std::string value) {
  for (auto& [k, v] : m)
    if (k == key) v = std::move(value);
  return m;
}

Members without(Members m, const std::string& key) {
  std::erase_if(m, [&](const auto& kv) { return kv.first == key; });
  return m;
}

TEST(Heterophilous, LoadsTheLayoutUndirectedWithItsSplits) {
  TempDir tmp;
  const auto path = tmp / "roman_empire.npz";
  testing::write_npz(path, members({0, 1, 2, 1, 0, 2}));
  const NodeDataset d = load_heterophilous_npz(path);
  EXPECT_EQ(d.name, "roman-empire");
  EXPECT_EQ(d.num_nodes(), 6);
  EXPECT_EQ(d.num_features(), 3);
  EXPECT_EQ(d.num_classes, 3);
  EXPECT_EQ(d.metric, "");  // multi-class: accuracy
  EXPECT_FLOAT_EQ(d.features.host()(5, 2), 8.5f);
  EXPECT_EQ(d.graph.num_edges(), 10);  // 5 undirected edges; self-loop and duplicate gone
  ASSERT_EQ(d.splits.size(), 2u);
  EXPECT_EQ(d.splits[1].train.to_vector(), (std::vector<std::int32_t>{2, 3}));
  EXPECT_EQ(d.splits[1].val.to_vector(), (std::vector<std::int32_t>{0}));
  EXPECT_EQ(d.splits[1].test.to_vector(), (std::vector<std::int32_t>{1, 4, 5}));
  EXPECT_EQ(d.train.to_vector(), d.splits[0].train.to_vector());
}

TEST(Heterophilous, BinaryLabelsAreScoredByRocAuc) {
  TempDir tmp;
  testing::write_npz(tmp / "tolokers.npz", members({0, 1, 1, 0, 0, 1}));
  const NodeDataset d = load_heterophilous_npz(tmp / "tolokers.npz");
  EXPECT_EQ(d.num_classes, 2);
  EXPECT_EQ(d.metric, "roc_auc");
}

TEST(Heterophilous, LoadsByPathThroughTheRegistry) {
  TempDir tmp;
  testing::write_npz(tmp / "minesweeper.npz", members({0, 1, 1, 0, 0, 1}));
  const NodeDataset d = load_node_dataset_file(tmp / "minesweeper.npz");
  EXPECT_EQ(d.name, "minesweeper");
  EXPECT_EQ(d.splits.size(), 2u);
  EXPECT_EQ(canonical_dataset_name("Roman_empire"), "roman-empire");
  EXPECT_EQ(dataset_info("amazon-ratings").folder, "heterophilous");
}

TEST(Heterophilous, NamesTheBadMember) {
  TempDir tmp;
  const auto base = members({0, 1, 2, 1, 0, 2});
  const auto path = tmp / "bad.npz";
  const auto rejects = [&](const Members& m, const std::string& needle) {
    testing::write_npz(path, m);
    EXPECT_THROW_WITH(load_heterophilous_npz(path), IoError, needle);
  };
  rejects(without(base, "edges"), "no member 'edges'");
  rejects(with(base, "edges", testing::npy_i64({0, 1, 1, 9}, {2, 2})), "9");
  rejects(with(base, "edges", testing::npy_i64({0, 1, 2}, {3})), "edges is (3,) int64");
  rejects(with(base, "node_labels", testing::npy_i64({0, 1}, {2})), "node_labels is (2,)");
  rejects(with(base, "val_masks", testing::npy_bool(std::vector<bool>(10, false), {2, 5})),
          "val_masks is (2, 5)");
  rejects(with(base, "test_masks", testing::npy_bool(std::vector<bool>(6, false), {1, 6})),
          "2 train, 2 val and 1 test masks");
  std::vector<bool> overlap(12, false);
  overlap[0] = true;  // node 0 is also in split 0's training set
  rejects(with(base, "val_masks", testing::npy_bool(overlap, {2, 6})),
          "split 0: node 0 is in 2 of train/val/test");
  testing::write_npz(path, with(base, "node_features",
                                testing::npy_f32(std::vector<float>(6, 0.0f), {6})));
  EXPECT_THROW_WITH(load_heterophilous_npz(path), IoError, "node_features is (6,)");
}

TEST(Heterophilous, ANonNpzOrOtherLayoutIsNamed) {
  TempDir tmp;
  testing::write_npz(tmp / "other.npz", {{"something", testing::npy_f32({1.0f}, {1})}});
  EXPECT_THROW_WITH(load_node_dataset_file(tmp / "other.npz"), IoError,
                    "an .npz without node_features/edges");
}

}  // namespace
}  // namespace moegnn::datasets
