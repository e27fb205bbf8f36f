// SPDX-License-Identifier: Apache-2.0
// Sage model: parameter layout, graph preparation, forward against the layer composition,
// gradients, a seeded end-to-end run on a small CSBM graph, and bad input.
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "models/node/sage.h"
#include "tests/layers/conv_fixtures.h"
#include "tests/layers/parameter_gradcheck.h"
#include "tests/models/node/node_model_fixtures.h"
#include "tests/support/gradcheck.h"

namespace moegnn::models {
namespace {

TEST(Sage, NamesParametersInLayerOrder) {
  Rng rng(1);
  Sage model({.in_channels = 5, .hidden_channels = 4, .out_channels = 3, .batch_norm = true}, rng);
  std::vector<std::string> names;
  for (const Parameter* p : model.parameters()) names.push_back(p->name);
  EXPECT_EQ(names, (std::vector<std::string>{"conv0.lin_l.weight", "conv0.lin_l.bias",
                                             "conv0.lin_r.weight", "bn0.weight", "bn0.bias",
                                             "conv1.lin_l.weight", "conv1.lin_l.bias",
                                             "conv1.lin_r.weight"}));
  EXPECT_EQ(model.num_parameters(), (2 * 5 * 4 + 4) + 8 + (2 * 4 * 3 + 3));
}

TEST(Sage, PrepareDropsEdgeValuesOnly) {
  Rng rng(1);
  Sage model({.in_channels = 2, .out_channels = 2}, rng);
  const graph::Csr raw = test::small_graph().with_values(Tensor::full(3, 1, 2.0f));
  const models::PreparedGraph g = model.prepare(raw);
  EXPECT_FALSE(g.csr().has_values());
  EXPECT_EQ(g.csr().col_idx().to_vector(), raw.col_idx().to_vector());
}

TEST(Sage, EvalForwardMatchesLayerComposition) {
  Rng rng(2);
  Sage model({.in_channels = 3,
              .hidden_channels = 5,
              .out_channels = 2,
              .num_layers = 3,
              .aggr = ops::Reduce::Max},
             rng);
  EXPECT_TRUE(test::forward_is_layer_composition(
      model, 3, [](Tape& tape, Var h) { return ops::relu(tape, h); }));
}

TEST(Sage, GradientsMatchFiniteDifferences) {
  Rng init(4);
  Sage model({.in_channels = 3,
              .hidden_channels = 4,
              .out_channels = 2,
              .dropout = 0.25f,
              .batch_norm = true},
             init);
  const models::PreparedGraph g = model.prepare(test::random_graph(6, 0.4, 5));
  EXPECT_TRUE(test::model_gradients_match(model, g, 6, 3));
}

TEST(Sage, LearnsSmallCsbmEndToEnd) {
  const datasets::NodeDataset d = test::model_csbm();
  Rng rng(3);
  Sage model({.in_channels = 8, .hidden_channels = 16, .out_channels = 3}, rng);
  test::expect_learns(test::train_on(model, d, 60), 0.7f, 0.3);
}

TEST(Sage, RejectsBadOptionsAndInput) {
  Rng rng(1);
  EXPECT_THROW(Sage({.in_channels = 3, .out_channels = 2, .num_layers = 0}, rng), InvalidArgument);
  EXPECT_THROW(Sage({.in_channels = 3, .out_channels = 0}, rng), InvalidArgument);
  EXPECT_THROW(Sage({.in_channels = 3, .out_channels = 2, .dropout = 1.0f}, rng), InvalidArgument);
  Sage model({.in_channels = 3, .out_channels = 2}, rng);
  const models::PreparedGraph g = model.prepare(test::small_graph());
  Tape tape;
  EXPECT_THROW(model.forward(tape, g, tape.constant(Tensor::zeros(3, 2)), rng), InvalidArgument);
  EXPECT_THROW(model.forward(tape, g, tape.constant(Tensor::zeros(4, 3)), rng), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::models
