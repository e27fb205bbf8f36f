// SPDX-License-Identifier: Apache-2.0
// Fixtures for the baseline-model tests: a small seeded CSBM dataset, a full-batch training run of
// any NodeModel through models/trainer.h, and the checks shared by the end-to-end tests.
#pragma once

#include <gtest/gtest.h>

#include "datasets/csbm.h"
#include "models/node_model.h"
#include "models/trainer.h"

namespace moegnn::test {

// 600 nodes, 3 balanced classes, 8 features, homophily 0.85: a GNN that uses the structure
// separates the classes well; features alone (signal 1) give a clearly weaker but above-chance MLP.
inline datasets::NodeDataset small_csbm(double feature_signal = 1.0) {
  return datasets::csbm({.num_nodes = 600,
                         .num_classes = 3,
                         .num_features = 8,
                         .avg_degree = 8.0,
                         .homophily = 0.85,
                         .feature_signal = feature_signal,
                         .seed = 17});
}

// Trains `model` on `d` with the graph the model prepares, seeded.
inline models::TrainResult train_on(models::NodeModel& model, const datasets::NodeDataset& d,
                                    Index epochs, float lr = 0.01f) {
  const graph::Csr g = model.prepare(d.graph);
  return models::train_full_batch(
      model,
      [&](Tape& tape, Rng& rng) { return model.forward(tape, g, tape.constant(d.features), rng); },
      {d.labels, d.train, d.val, d.test}, {.epochs = epochs, .lr = lr, .seed = 5});
}

// The loss falls to below `ratio` of its first value and the test accuracy (at the best
// validation epoch) beats chance (1/3) by `margin`.
inline void expect_learns(const models::TrainResult& result, float ratio, double margin) {
  ASSERT_FALSE(result.history.empty());
  EXPECT_LT(result.history.back().loss, ratio * result.history.front().loss);
  EXPECT_GT(result.test_accuracy, 1.0 / 3.0 + margin);
}

}  // namespace moegnn::test
