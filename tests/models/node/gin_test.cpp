// SPDX-License-Identifier: Apache-2.0
// Gin model: inner-MLP widths and parameter layout, graph preparation, forward against the layer
// composition, gradients, a seeded end-to-end run on a small CSBM graph, and bad input.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "models/node/gin.h"
#include "tests/layers/conv_fixtures.h"
#include "tests/layers/parameter_gradcheck.h"
#include "tests/models/node/node_model_fixtures.h"
#include "tests/support/gradcheck.h"

namespace moegnn::models {
namespace {

TEST(Gin, BuildsPyGInnerNetworksAndNamesParameters) {
  Rng rng(1);
  Gin model({.in_channels = 5,
             .hidden_channels = 4,
             .out_channels = 3,
             .batch_norm = true,
             .train_eps = true},
            rng);
  auto& convs = model.convs();
  ASSERT_EQ(convs.size(), 2u);
  EXPECT_EQ(convs[0].nn().channels(), (std::vector<Index>{5, 4, 4}));
  EXPECT_EQ(convs[1].nn().channels(), (std::vector<Index>{4, 3, 3}));
  std::vector<std::string> names;
  for (const Parameter* p : model.parameters()) names.push_back(p->name);
  EXPECT_EQ(names,
            (std::vector<std::string>{
                "conv0.eps", "conv0.nn.lin0.weight", "conv0.nn.lin0.bias", "conv0.nn.norm0.weight",
                "conv0.nn.norm0.bias", "conv0.nn.lin1.weight", "conv0.nn.lin1.bias", "bn0.weight",
                "bn0.bias", "conv1.eps", "conv1.nn.lin0.weight", "conv1.nn.lin0.bias",
                "conv1.nn.norm0.weight", "conv1.nn.norm0.bias", "conv1.nn.lin1.weight",
                "conv1.nn.lin1.bias"}));
  // Without a norm, h_Θ has none inside either.
  Gin plain({.in_channels = 5, .hidden_channels = 4, .out_channels = 3}, rng);
  for (const Parameter* p : plain.parameters())
    EXPECT_EQ(p->name.find("norm"), std::string::npos) << p->name;
}

TEST(Gin, PrepareDropsEdgeValuesOnly) {
  Rng rng(1);
  Gin model({.in_channels = 2, .out_channels = 2}, rng);
  const graph::Csr raw = test::small_graph().with_values(Tensor::full(3, 1, 2.0f));
  const models::PreparedGraph g = model.prepare(raw);
  EXPECT_FALSE(g.csr().has_values());
  EXPECT_EQ(g.csr().num_edges(), raw.num_edges());
}

TEST(Gin, EvalForwardMatchesLayerComposition) {
  Rng rng(2);
  Gin model({.in_channels = 3, .hidden_channels = 5, .out_channels = 2, .num_layers = 3}, rng);
  EXPECT_TRUE(test::forward_is_layer_composition(
      model, 3, [](Tape& tape, Var h) { return ops::relu(tape, h); }));
}

// On a 10-node random graph with random nonzero biases (model_gradients_match): at the default
// zero biases, ReLU kinks and batch norm of near-constant columns made finite differences
// meaningless. The step is 1e-3: the batch norm inside h_Θ centres the ReLU's inputs on its kink,
// which a step of 1e-2 crossed. A wrong backward rule anywhere in the stack still fails this check.
TEST(Gin, GradientsMatchFiniteDifferences) {
  Rng init(4);
  Gin model({.in_channels = 3,
             .hidden_channels = 4,
             .out_channels = 2,
             .dropout = 0.25f,
             .batch_norm = true,
             .train_eps = true},
            init);
  const models::PreparedGraph g = model.prepare(test::random_graph(10, 0.4, 5));
  EXPECT_TRUE(test::model_gradients_match(model, g, 10, 3, 1e-3f));
}

TEST(Gin, LearnsSmallCsbmEndToEnd) {
  const datasets::NodeDataset d = test::model_csbm();
  Rng rng(3);
  Gin model({.in_channels = 8, .hidden_channels = 16, .out_channels = 3}, rng);
  test::expect_learns(test::train_on(model, d, 60), 0.7f, 0.3);
}

TEST(Gin, RejectsBadOptionsAndInput) {
  Rng rng(1);
  EXPECT_THROW(Gin({.in_channels = 3, .out_channels = 2, .num_layers = 0}, rng), InvalidArgument);
  EXPECT_THROW(Gin({.in_channels = 3, .hidden_channels = 0, .out_channels = 2}, rng),
               InvalidArgument);
  EXPECT_THROW(Gin({.in_channels = 3, .out_channels = 2, .dropout = 1.0f}, rng), InvalidArgument);
  Gin model({.in_channels = 3, .out_channels = 2}, rng);
  const models::PreparedGraph g = model.prepare(test::small_graph());
  Tape tape;
  EXPECT_THROW(model.forward(tape, g, tape.constant(Tensor::zeros(3, 2)), rng), InvalidArgument);
  EXPECT_THROW(model.forward(tape, g, tape.constant(Tensor::zeros(4, 3)), rng), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::models
