// SPDX-License-Identifier: Apache-2.0
// Mlp model: parameter layout, forward against the layer composition, gradients, a seeded
// end-to-end run on a small CSBM graph, and bad input.
#include <algorithm>

#include <gtest/gtest.h>

#include "core/error.h"
#include "models/node/mlp.h"
#include "tests/layers/conv_fixtures.h"
#include "tests/layers/parameter_gradcheck.h"
#include "tests/models/node/node_model_fixtures.h"
#include "tests/support/gradcheck.h"

namespace moegnn::models {
namespace {

TEST(Mlp, NamesParametersInLayerOrder) {
  Rng rng(1);
  Mlp model({.in_channels = 5,
             .hidden_channels = 4,
             .out_channels = 3,
             .num_layers = 3,
             .batch_norm = true},
            rng);
  std::vector<std::string> names;
  for (const Parameter* p : model.parameters()) names.push_back(p->name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "lin0.weight", "lin0.bias", "norm0.weight", "norm0.bias", "lin1.weight",
                       "lin1.bias", "norm1.weight", "norm1.bias", "lin2.weight", "lin2.bias"}));
  EXPECT_EQ(model.num_parameters(), (5 * 4 + 4) + 8 + (4 * 4 + 4) + 8 + (4 * 3 + 3));
}

TEST(Mlp, EvalForwardIgnoresTheGraphAndMatchesComposition) {
  Rng rng(2);
  Mlp model({.in_channels = 3, .hidden_channels = 5, .out_channels = 2}, rng);
  for (Parameter* p : model.parameters())
    p->value = support::random_tensor(p->value.rows(), p->value.cols(), 9);
  model.eval();
  const Tensor x = support::random_tensor(4, 3, 10);
  Tape tape(Tape::Mode::Inference);
  const Tensor y = model.forward(tape, model.prepare(graph::Csr()), tape.constant(x), rng).value();
  auto& lins = model.mlp().lins();
  const Matrix h = test::plus_row(test::product(x.host(), lins[0].weight().value.host()),
                                  lins[0].bias().value)
                       .cwiseMax(0.0f);  // ReLU; dropout is off in evaluation mode
  const Matrix expected =
      test::plus_row(test::product(h, lins[1].weight().value.host()), lins[1].bias().value);
  EXPECT_TRUE(support::all_close(y, Tensor::from(expected), 1e-5f, 1e-4f));
}

TEST(Mlp, GradientsMatchFiniteDifferences) {
  Rng init(4);
  Mlp model({.in_channels = 3,
             .hidden_channels = 4,
             .out_channels = 2,
             .dropout = 0.25f,
             .batch_norm = true},
            init);
  EXPECT_TRUE(test::model_gradients_match(model, model.prepare(graph::Csr()), 5, 3));
}

TEST(Mlp, LearnsSmallCsbmEndToEnd) {
  const datasets::NodeDataset d = test::model_csbm(2.0);  // features only: a stronger signal
  Rng rng(3);
  Mlp model({.in_channels = 8, .hidden_channels = 16, .out_channels = 3}, rng);
  test::expect_learns(test::train_on(model, d, 60), 0.8f, 0.25);
}

TEST(Mlp, RejectsBadOptionsAndInput) {
  Rng rng(1);
  EXPECT_THROW(Mlp({.in_channels = 3, .out_channels = 2, .num_layers = 0}, rng), InvalidArgument);
  EXPECT_THROW(Mlp({.in_channels = 0, .out_channels = 2}, rng), InvalidArgument);
  EXPECT_THROW(Mlp({.in_channels = 3, .out_channels = 2, .dropout = -0.1f}, rng), InvalidArgument);
  Mlp model({.in_channels = 3, .out_channels = 2}, rng);
  Tape tape;
  EXPECT_THROW(model.forward(tape, model.prepare(graph::Csr()), tape.constant(Tensor::zeros(4, 2)), rng),
               InvalidArgument);
}

}  // namespace
}  // namespace moegnn::models
