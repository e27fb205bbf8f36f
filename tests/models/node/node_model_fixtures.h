// SPDX-License-Identifier: Apache-2.0
// Fixtures shared by the model tests (Mlp, Gcn, Sage, Gat, Gin, the registry): a small seeded CSBM
// dataset, a full-batch training run of any NodeModel through models/training (training::fit), the
// end-to-end check (loss falls, test accuracy beats chance), the gradient check of a whole
// model at smooth points, and the check that a layer stack's forward composes its convolutions.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "datasets/csbm.h"
#include "models/node/node_model.h"
#include "models/training/fit.h"
#include "tests/layers/conv_fixtures.h"
#include "tests/layers/parameter_gradcheck.h"
#include "tests/support/gradcheck.h"

namespace moegnn::test {

// 600 nodes, 3 balanced classes, 8 features, homophily 0.85: a GNN that uses the structure
// separates the classes well; features alone (signal 1) give a clearly weaker but above-chance MLP.
inline datasets::NodeDataset model_csbm(double feature_signal = 1.0) {
  return datasets::csbm({.num_nodes = 600,
                         .num_classes = 3,
                         .num_features = 8,
                         .avg_degree = 8.0,
                         .homophily = 0.85,
                         .feature_signal = feature_signal,
                         .seed = 17});
}

// Trains `model` full-batch on `d` (the graph the model prepares), seeded, no progress output.
inline training::FitResult train_on(models::NodeModel& model, const datasets::NodeDataset& d,
                                    Index epochs, float lr = 0.01f) {
  return training::fit(model, d.graph, d.features, {{d.train, d.val, d.test}, d.labels},
                       {.epochs = epochs, .lr = lr, .seed = 5, .progress = false});
}

// The training loss falls below `ratio` of its first value and the test accuracy of the selected
// epoch beats chance (1/3) by `margin`.
inline void expect_learns(const training::FitResult& result, float ratio, double margin) {
  ASSERT_FALSE(result.history.empty());
  EXPECT_LT(result.history.back().loss, ratio * result.history.front().loss);
  EXPECT_GT(result.best.test_metric, 1.0 / 3.0 + margin);
}

// Tape gradients of every parameter and of the input x (num_nodes × in_channels) against central
// differences, in training mode with fixed dropout masks. Biases get random nonzero values first:
// at the default zero biases a row zeroed by ReLU or dropout sits exactly on the next ReLU's kink
// (and batch norm of a constant column divides by ~0), where finite differences are meaningless.
inline ::testing::AssertionResult model_gradients_match(models::NodeModel& model,
                                                        const models::PreparedGraph& graph,
                                                        Index num_nodes,
                                                        Index in_channels, float step = 1e-2f,
                                                        float atol = 3e-3f, float rtol = 3e-2f) {
  std::uint64_t seed = 900;
  for (Parameter* p : model.parameters())
    if (p->name.ends_with("bias"))
      p->value = support::random_tensor(p->value.rows(), p->value.cols(), ++seed, -0.5f, 0.5f);
  Parameter x(support::random_tensor(num_nodes, in_channels, 5), "x");
  std::vector<Parameter*> params = model.parameters();
  params.push_back(&x);
  return support::parameter_gradients_match(
      params,
      [&](Tape& tape) {
        Rng dropout_rng(6);  // the same masks in every evaluation
        return model.forward(tape, graph, tape.param(x), dropout_rng);
      },
      step, atol, rtol);
}

// In evaluation mode (no dropout; no norm in the options the tests use) a layer-stack model's
// forward on an 8-node random graph equals its convolutions composed with `activation` between
// them and none after the last: checks the model wires its layers as documented.
template <class Model, class Activation>
::testing::AssertionResult forward_is_layer_composition(Model& model, Index in_channels,
                                                        Activation activation) {
  Rng rng(2);
  model.eval();
  const models::PreparedGraph g = model.prepare(random_graph(8, 0.3, 3));
  const Tensor x = support::random_tensor(8, in_channels, 4);
  Tape tape(Tape::Mode::Inference);
  const Tensor y = model.forward(tape, g, tape.constant(x), rng).value();
  auto& convs = model.convs();
  Var h = tape.constant(x);
  for (std::size_t l = 0; l + 1 < convs.size(); ++l)
    h = activation(tape, convs[l].forward(tape, g.csr(), h));
  return support::all_close(y, convs.back().forward(tape, g.csr(), h).value());
}

}  // namespace moegnn::test
