// SPDX-License-Identifier: Apache-2.0
// Private to models/training: the two ways an epoch runs. A Runner performs one epoch of optimizer
// steps (full graph: one step; sampled: one step per seed batch) and produces evaluation-mode
// logits for node sets; the Trainer around it owns the bookkeeping (metrics, selection, stopping,
// checkpoints), so both modes share it.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "core/optim/optimizer.h"
#include "graph/csr.h"
#include "layers/module.h"
#include "models/training/options.h"

namespace moegnn::training::detail {

// One optimizer step around a loss: zero_grad, forward in training mode, backward, optional
// gradient clipping, step. Returns the loss value.
class Stepper {
 public:
  Stepper(layers::Module& model, optim::Optimizer& optimizer, float clip_grad_norm)
      : model_(model),
        optimizer_(optimizer),
        clip_(clip_grad_norm) {}
  float step(const std::function<Var(Tape&)>& loss);

 private:
  layers::Module& model_;
  optim::Optimizer& optimizer_;
  float clip_;
};

class Runner {
 public:
  virtual ~Runner() = default;
  // Optimizer steps of epoch `epoch` (1-based); returns the mean training loss per row.
  virtual double train_epoch(Index epoch, Rng& rng, Stepper& stepper) = 0;
  // Evaluation-mode logits of each node set (rows in the set's order); leaves the model in
  // training mode.
  virtual std::vector<Tensor> predict(const std::vector<IndexArray32>& sets, Rng& rng) = 0;
};

std::unique_ptr<Runner> make_full_batch_runner(layers::Module& model, ForwardFn forward,
                                               const NodeSplit& split);
// Throws InvalidArgument as graph::NeighborSampler / graph::SeedBatches for bad sampling options,
// or when features' rows differ from the graph's nodes.
std::unique_ptr<Runner> make_mini_batch_runner(layers::Module& model, BlockForwardFn forward,
                                               graph::Csr graph, Tensor features,
                                               const NodeSplit& split,
                                               const SamplingOptions& sampling, std::uint64_t seed);

}  // namespace moegnn::training::detail
