// SPDX-License-Identifier: Apache-2.0
// A small full-batch training loop for node classification: Adam on the cross-entropy of the
// training rows, accuracy on train/validation/test rows after every epoch, and the test accuracy
// of the epoch with the best validation accuracy (the usual model-selection protocol of PyG's
// examples). A fuller training module (schedules, early stopping, checkpoints) comes later.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/index_array.h"
#include "core/rng.h"
#include "core/tape.h"
#include "graph/csr.h"
#include "layers/module.h"
#include "models/gcn.h"

namespace moegnn::models {

// Labels for every node and the three disjoint row sets.
struct NodeSplit {
  IndexArray32 labels;  // num_nodes entries in [0, num_classes)
  IndexArray32 train;
  IndexArray32 val;
  IndexArray32 test;
};

struct TrainOptions {
  Index epochs = 200;
  float lr = 0.01f;
  float weight_decay = 5e-4f;  // coupled L2, as torch.optim.Adam
  std::uint64_t seed = 1;      // dropout masks
  std::function<void(Index epoch, float loss)> on_epoch{};  // optional progress hook
};

struct EpochStats {
  Index epoch = 0;
  float loss = 0.0f;  // training loss before this epoch's update
  double train_accuracy = 0.0;
  double val_accuracy = 0.0;
  double test_accuracy = 0.0;
  double seconds = 0.0;  // the training step only (forward, backward, update), not evaluation
};

struct TrainResult {
  std::vector<EpochStats> history;
  Index best_epoch = -1;  // highest validation accuracy (first one on ties)
  double best_val_accuracy = 0.0;
  double test_accuracy = 0.0;  // at best_epoch
  double mean_epoch_seconds = 0.0;
};

// forward(tape, rng) must return logits (num_nodes × C) of `model`, honouring model.training().
using ForwardFn = std::function<Var(Tape& tape, Rng& rng)>;

// Trains `model` in place for options.epochs epochs. Throws InvalidArgument when epochs < 1, the
// training set is empty, or a label/row is out of range (from the loss and metrics).
TrainResult train_full_batch(layers::Module& model, const ForwardFn& forward,
                             const NodeSplit& split, const TrainOptions& options);

// The same for a Gcn on features x (num_nodes × in_channels) over Â.
TrainResult train_full_batch(Gcn& model, const graph::Csr& adj, const Tensor& x,
                             const NodeSplit& split, const TrainOptions& options);

}  // namespace moegnn::models
