// SPDX-License-Identifier: Apache-2.0
// Gat model: layer widths and parameter layout, self-loop preparation, forward against the layer
// composition, gradients, a seeded end-to-end run on a small CSBM graph, and bad input.
#include <algorithm>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "models/node/gat.h"
#include "tests/layers/conv_fixtures.h"
#include "tests/layers/parameter_gradcheck.h"
#include "tests/models/node/node_model_fixtures.h"
#include "tests/support/gradcheck.h"

namespace moegnn::models {
namespace {

TEST(Gat, ConcatenatesHiddenHeadsAndAveragesTheLast) {
  Rng rng(1);
  Gat model({.in_channels = 5,
             .hidden_channels = 4,
             .out_channels = 3,
             .heads = 2,
             .output_heads = 3,
             .batch_norm = true},
            rng);
  auto& convs = model.convs();
  ASSERT_EQ(convs.size(), 2u);
  EXPECT_EQ(convs[0].out_width(), 8);
  EXPECT_EQ(convs[1].options().in_channels, 8);
  EXPECT_EQ(convs[1].options().heads, 3);
  EXPECT_EQ(convs[1].out_width(), 3);
  std::vector<std::string> names;
  for (const Parameter* p : model.parameters()) names.push_back(p->name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"conv0.lin.weight", "conv0.att_src", "conv0.att_dst",
                                      "conv0.bias", "bn0.weight", "bn0.bias", "conv1.lin.weight",
                                      "conv1.att_src", "conv1.att_dst", "conv1.bias"}));
}

TEST(Gat, PrepareAddsOneSelfLoopPerNode) {
  Rng rng(1);
  Gat model({.in_channels = 2, .out_channels = 2}, rng);
  const models::PreparedGraph g = model.prepare(test::small_graph());
  EXPECT_EQ(g.csr().num_edges(), 3 + 3);
  for (Index i = 0; i < 3; ++i) {
    const auto row = g.csr().neighbors(i);
    EXPECT_NE(std::find(row.begin(), row.end(), static_cast<graph::NodeId>(i)), row.end());
  }
}

TEST(Gat, EvalForwardMatchesLayerComposition) {
  Rng rng(2);
  Gat model({.in_channels = 3,
             .hidden_channels = 2,
             .out_channels = 2,
             .num_layers = 3,
             .heads = 2,
             .attention_dropout = 0.5f},
            rng);
  EXPECT_TRUE(test::forward_is_layer_composition(
      model, 3, [](Tape& tape, Var h) { return ops::elu(tape, h); }));
}

TEST(Gat, GradientsMatchFiniteDifferences) {
  Rng init(4);
  Gat model({.in_channels = 3,
             .hidden_channels = 2,
             .out_channels = 2,
             .heads = 2,
             .dropout = 0.25f,
             .attention_dropout = 0.25f,
             .batch_norm = true},
            init);
  const models::PreparedGraph g = model.prepare(test::random_graph(6, 0.4, 5));
  EXPECT_TRUE(test::model_gradients_match(model, g, 6, 3, 1e-3f));
}

TEST(Gat, LearnsSmallCsbmEndToEnd) {
  const datasets::NodeDataset d = test::model_csbm();
  Rng rng(3);
  Gat model({.in_channels = 8, .hidden_channels = 8, .out_channels = 3, .heads = 4}, rng);
  test::expect_learns(test::train_on(model, d, 60), 0.7f, 0.3);
}

TEST(Gat, RejectsBadOptionsAndInput) {
  Rng rng(1);
  EXPECT_THROW(Gat({.in_channels = 3, .out_channels = 2, .num_layers = 0}, rng), InvalidArgument);
  EXPECT_THROW(Gat({.in_channels = 3, .out_channels = 2, .heads = 0}, rng), InvalidArgument);
  EXPECT_THROW(Gat({.in_channels = 3, .out_channels = 2, .attention_dropout = 1.0f}, rng),
               InvalidArgument);
  Gat model({.in_channels = 3, .out_channels = 2}, rng);
  const models::PreparedGraph g = model.prepare(test::small_graph());
  Tape tape;
  EXPECT_THROW(model.forward(tape, g, tape.constant(Tensor::zeros(3, 2)), rng), InvalidArgument);
  EXPECT_THROW(model.forward(tape, g, tape.constant(Tensor::zeros(4, 3)), rng), InvalidArgument);
  EXPECT_THROW(model.prepare(test::small_block()), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::models
