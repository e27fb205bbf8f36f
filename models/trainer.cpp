// SPDX-License-Identifier: Apache-2.0
// Full-batch node-classification training loop.
#include "models/trainer.h"

#include <chrono>

#include "core/error.h"
#include "core/ops/loss.h"
#include "core/ops/reduce.h"
#include "core/optim/adam.h"
#include "models/metrics.h"

namespace moegnn::models {
namespace {

// One step: forward in training mode, loss on the training rows, backward, Adam update.
float train_step(layers::Module& model, const ForwardFn& forward, const NodeSplit& split,
                 optim::Adam& optimizer, Rng& rng) {
  model.train();
  optimizer.zero_grad();
  Tape tape;
  const Var logits = forward(tape, rng);
  const Var loss = ops::cross_entropy(tape, logits, split.labels, split.train);
  tape.backward(loss);
  optimizer.step();
  return loss.value().item();
}

void evaluate(layers::Module& model, const ForwardFn& forward, const NodeSplit& split, Rng& rng,
              EpochStats& stats) {
  model.eval();
  Tape tape(Tape::Mode::Inference);
  const IndexArray32 predicted = ops::argmax_rows(forward(tape, rng).value());
  stats.train_accuracy = accuracy(predicted, split.labels, split.train);
  stats.val_accuracy = accuracy(predicted, split.labels, split.val);
  stats.test_accuracy = accuracy(predicted, split.labels, split.test);
}

}  // namespace

TrainResult train_full_batch(layers::Module& model, const ForwardFn& forward,
                             const NodeSplit& split, const TrainOptions& options) {
  MOEGNN_CHECK(options.epochs >= 1, "epochs is ", options.epochs, " vs >= 1");
  MOEGNN_CHECK(!split.train.empty(), "the training set is empty vs at least one row");
  MOEGNN_CHECK(options.lr > 0.0f && options.weight_decay >= 0.0f, "lr ", options.lr,
               " and weight_decay ", options.weight_decay, " vs lr > 0, weight_decay >= 0");
  optim::Adam optimizer({optim::ParamGroup{model.parameters(), options.lr, options.weight_decay}});
  Rng rng(options.seed);
  TrainResult result;
  result.history.reserve(static_cast<std::size_t>(options.epochs));
  double total_seconds = 0.0;
  for (Index epoch = 1; epoch <= options.epochs; ++epoch) {
    EpochStats stats;
    stats.epoch = epoch;
    const auto start = std::chrono::steady_clock::now();
    stats.loss = train_step(model, forward, split, optimizer, rng);
    stats.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    total_seconds += stats.seconds;
    evaluate(model, forward, split, rng, stats);
    if (result.best_epoch < 0 || stats.val_accuracy > result.best_val_accuracy) {
      result.best_epoch = epoch;
      result.best_val_accuracy = stats.val_accuracy;
      result.test_accuracy = stats.test_accuracy;
    }
    result.history.push_back(stats);
    if (options.on_epoch) options.on_epoch(epoch, stats.loss);
  }
  model.train();
  result.mean_epoch_seconds = total_seconds / static_cast<double>(options.epochs);
  return result;
}

TrainResult train_full_batch(Gcn& model, const graph::Csr& adj, const Tensor& x,
                             const NodeSplit& split, const TrainOptions& options) {
  return train_full_batch(
      model,
      [&](Tape& tape, Rng& rng) { return model.forward(tape, adj, tape.constant(x), rng); },
      split, options);
}

}  // namespace moegnn::models
