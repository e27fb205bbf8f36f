// SPDX-License-Identifier: Apache-2.0
// Random splits and NodeDataset::check.
#include "datasets/split.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "core/error.h"
#include "datasets/node_dataset.h"

namespace moegnn::datasets {
namespace {

TEST(RandomSplit, PartitionsAllNodesWithRequestedSizes) {
  const NodeSplit s = random_split(1001, 0.6, 0.2, 4);
  EXPECT_EQ(s.train.size(), 601);  // round(600.6)
  EXPECT_EQ(s.val.size(), 200);    // round(200.2)
  EXPECT_EQ(s.test.size(), 200);
  std::vector<std::int32_t> all;
  for (const IndexArray32* part : {&s.train, &s.val, &s.test}) {
    const auto ids = part->to_vector();
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
    all.insert(all.end(), ids.begin(), ids.end());
  }
  std::sort(all.begin(), all.end());
  for (std::size_t i = 0; i < all.size(); ++i) ASSERT_EQ(all[i], static_cast<std::int32_t>(i));
}

TEST(RandomSplit, SeededAndShuffled) {
  EXPECT_EQ(random_split(100, 0.5, 0.25, 9).train.to_vector(),
            random_split(100, 0.5, 0.25, 9).train.to_vector());
  EXPECT_NE(random_split(100, 0.5, 0.25, 9).train.to_vector(),
            random_split(100, 0.5, 0.25, 10).train.to_vector());
  const auto train = random_split(100, 0.5, 0.25, 9).train.to_vector();
  EXPECT_NE(train.back(), 49);  // not simply the first half
}

TEST(RandomSplit, RejectsBadFractions) {
  EXPECT_THROW(random_split(10, 0.8, 0.3, 1), InvalidArgument);
  EXPECT_THROW(random_split(10, -0.1, 0.3, 1), InvalidArgument);
  EXPECT_THROW(random_split(-1, 0.5, 0.3, 1), InvalidArgument);
}

NodeDataset tiny_dataset() {
  NodeDataset d;
  d.graph = graph::Csr(3, 3, graph::EdgeIds{0, 1, 2, 2}, graph::NodeIds{1, 0});
  d.features = Tensor::zeros(3, 2);
  d.labels = IndexArray32{0, 1, 1};
  d.train = IndexArray32{0};
  d.val = IndexArray32{1};
  d.test = IndexArray32{2};
  d.num_classes = 2;
  return d;
}

TEST(NodeDatasetCheck, AcceptsValidAndRejectsBrokenDatasets) {
  EXPECT_NO_THROW(check(tiny_dataset()));
  NodeDataset overlap = tiny_dataset();
  overlap.test = IndexArray32{2, 0};
  EXPECT_THROW(check(overlap), InvalidArgument);
  NodeDataset bad_label = tiny_dataset();
  bad_label.labels = IndexArray32{0, 2, 1};
  EXPECT_THROW(check(bad_label), InvalidArgument);
  NodeDataset bad_id = tiny_dataset();
  bad_id.val = IndexArray32{3};
  EXPECT_THROW(check(bad_id), InvalidArgument);
  NodeDataset short_features = tiny_dataset();
  short_features.features = Tensor::zeros(2, 2);
  EXPECT_THROW(check(short_features), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::datasets
