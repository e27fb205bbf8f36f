// SPDX-License-Identifier: Apache-2.0
// Routed inference: the strong expert on the closure of its nodes gives the full-graph predictions
// (every strong backbone), the routing metrics match hand-computed values, and bad input throws.
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/ops/reduce.h"
#include "core/ops/shape.h"
#include "models/mowst/inference.h"
#include "tests/models/mowst/two_halves.h"
#include "tests/support/gradcheck.h"

namespace moegnn::mowst {
namespace {

std::unique_ptr<Mowst> untrained(const std::string& strong, Index in, Index classes,
                                 std::uint64_t seed) {
  MowstModelOptions o;
  o.strong = strong;
  o.weak_config = {{"hidden", "8"}, {"layers", "2"}, {"dropout", "0"}};
  o.strong_config = models::known_options(
      strong, {{"hidden", "8"}, {"layers", "2"}, {"dropout", "0"}, {"heads", "2"}});
  o.gate = {.hidden_channels = 4, .dropout = 0.0f};
  Rng rng(seed);
  return make_mowst(o, in, classes, rng);
}

class RoutedInference : public ::testing::TestWithParam<const char*> {};

TEST_P(RoutedInference, ClosureGivesFullGraphPredictions) {
  const auto data = testing::two_halves(120, 6, 4, 3);
  auto model = untrained(GetParam(), 6, 2, 5);
  const MowstGraphs graphs = model->prepare(data.graph);
  const auto efficient = predict_routed(*model, graphs, data.x, /*key=*/9, true);
  const auto full = predict_routed(*model, graphs, data.x, /*key=*/9, false);
  ASSERT_EQ(efficient.to_weak, full.to_weak);
  ASSERT_GT(efficient.num_strong, 0);
  ASSERT_LT(efficient.num_strong, data.x.rows());
  EXPECT_EQ(efficient.predictions.to_vector(), full.predictions.to_vector());
  EXPECT_LE(efficient.closure_nodes, data.x.rows());
  EXPECT_GE(efficient.closure_nodes, efficient.num_strong);
  // The logits themselves, not only their argmax.
  std::vector<graph::NodeId> seeds;
  for (Index v = 0; v < data.x.rows(); ++v)
    if (!efficient.to_weak[static_cast<std::size_t>(v)])
      seeds.push_back(static_cast<graph::NodeId>(v));
  const Tensor part =
      strong_logits_on(model->strong(), graphs.strong, data.x, graph::NodeIds(seeds), 2);
  const Tensor whole = eval_logits(model->strong(), graphs.strong, data.x);
  EXPECT_TRUE(support::all_close(part, ops::gather_rows(whole, IndexArray32(seeds)), 1e-5f, 1e-4f));
}

INSTANTIATE_TEST_SUITE_P(Backbones, RoutedInference,
                         ::testing::Values("gcn", "sage", "gat", "gin"));

TEST(MowstMetrics, ExpectedAndSampledAccuracyMatchHandComputedValues) {
  const IndexArray32 labels{0, 1, 1, 0};
  const IndexArray32 weak{0, 0, 1, 1};    // right on nodes 0, 2
  const IndexArray32 strong{1, 1, 1, 0};  // right on nodes 1, 2, 3
  const Tensor c = Tensor::from_rows({{0.9f}, {0.2f}, {0.5f}, {1.0f}});
  const IndexArray32 rows{0, 1, 2, 3};
  // 0.9 + 0.8 + 1.0 + 0.0 over 4 nodes.
  EXPECT_NEAR(expected_accuracy(weak, strong, c, labels, rows), 2.7 / 4.0, 1e-6);
  EXPECT_NEAR(sampled_accuracy(weak, strong, c, labels, rows, 4000, 1), 2.7 / 4.0, 0.02);
  EXPECT_EQ(expected_accuracy(weak, strong, c, labels, IndexArray32{}), 0.0);
  EXPECT_THROW(expected_accuracy(weak, strong, c, labels, IndexArray32{7}), InvalidArgument);
  EXPECT_THROW(sampled_accuracy(weak, strong, c, labels, rows, 0, 1), InvalidArgument);
}

TEST(MowstMetrics, MixturePredictionWeighsProbabilitiesByConfidence) {
  const Tensor z1 = Tensor::from_rows({{2.0f, 0.0f}, {2.0f, 0.0f}});
  const Tensor z2 = Tensor::from_rows({{0.0f, 3.0f}, {0.0f, 3.0f}});
  const Tensor c = Tensor::from_rows({{0.9f}, {0.1f}});
  EXPECT_EQ(mixture_predictions(z1, z2, c).to_vector(), (std::vector<std::int32_t>{0, 1}));
  EXPECT_THROW(mixture_predictions(z1, z2, Tensor::zeros(3, 1)), InvalidArgument);
}

TEST(MowstMetrics, RoutingFollowsConfidence) {
  const Tensor c = Tensor::from_rows({{0.0f}, {1.0f}});
  const auto r = draw_routing(c, 3);
  EXPECT_EQ(r, (std::vector<std::uint8_t>{0, 1}));
  EXPECT_THROW(draw_routing(Tensor::zeros(2, 2), 3), InvalidArgument);
}

TEST(RoutedInferenceInput, RejectsWrongRoutingSize) {
  const auto data = testing::two_halves(40, 4, 3, 1);
  auto model = untrained("gcn", 4, 2, 1);
  const MowstGraphs graphs = model->prepare(data.graph);
  EXPECT_THROW(predict_routed(*model, graphs, data.x, std::vector<std::uint8_t>(3, 1)),
               InvalidArgument);
}

}  // namespace
}  // namespace moegnn::mowst
