// SPDX-License-Identifier: Apache-2.0
// BatchNorm: per-feature normalisation over the rows of a batch (Ioffe & Szegedy, 2015), the
// layer around ops::batch_norm. It owns the affine parameters (gamma "weight" = 1, beta "bias" = 0,
// as torch.nn.BatchNorm1d) and the running statistics used in evaluation mode.
#pragma once

#include <vector>

#include "core/ops/nn.h"
#include "layers/module.h"

namespace moegnn::layers {

struct BatchNormOptions {
  Index num_features = 0;
  float momentum = 0.1f;  // running = (1 - momentum) · running + momentum · batch, as PyTorch
  float eps = 1e-5f;
};

class BatchNorm final : public Module {
 public:
  // Throws InvalidArgument unless num_features > 0, 0 <= momentum <= 1 and eps > 0.
  explicit BatchNorm(const BatchNormOptions& options);

  // x: m × num_features -> m × num_features. Training mode (training()) normalises with the batch
  // statistics (m >= 2) and updates the running ones; evaluation mode uses the running ones.
  // Throws InvalidArgument on a column mismatch.
  Var forward(Tape& tape, Var x);

  // Registered parameters: "weight" (gamma), "bias" (beta), both 1 × num_features.

  const BatchNormOptions& options() const { return options_; }
  ops::BatchNormStats& stats() { return stats_; }
  const ops::BatchNormStats& stats() const { return stats_; }

 private:
  BatchNormOptions options_;
  Parameter gamma_;
  Parameter beta_;
  ops::BatchNormStats stats_;
};

}  // namespace moegnn::layers
