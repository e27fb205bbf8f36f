// SPDX-License-Identifier: Apache-2.0
// Dropout and normalisation on the tape.
#pragma once

#include "core/rng.h"
#include "core/tape.h"

namespace moegnn::ops {

// Inverted dropout: zero each element with probability p and scale the rest by 1 / (1 - p). Identity
// when !training or p == 0. The mask is counter-based (Rng::bits(rng.split(), element)), so a seed
// reproduces it on any thread count. Throws InvalidArgument unless 0 <= p < 1.
Var dropout(Tape& tape, Var x, float p, Rng& rng, bool training);

// Running statistics of batch norm, owned by the layer (not trained; saved in checkpoints).
struct BatchNormStats {
  Tensor running_mean;  // 1 × n, starts at 0
  Tensor running_var;   // 1 × n, starts at 1
  Index num_batches = 0;
};

// Batch norm over rows (each column normalised): training uses the batch mean and biased variance
// and updates running stats with unbiased variance, new = (1 - momentum)·old + momentum·batch (as
// PyTorch); evaluation uses the running stats. gamma, beta: 1 × n. Training needs m >= 2 rows.
// Empty running stats are initialised (mean 0, var 1); updated ones are new tensors. Throws
// InvalidArgument on a shape mismatch, m < 2 in training, momentum outside [0, 1] or eps <= 0.
Var batch_norm(Tape& tape, Var x, Var gamma, Var beta, BatchNormStats& stats, bool training,
               float momentum = 0.1f, float eps = 1e-5f);

// Layer norm over each row's n columns, then gamma ⊙ · + beta (1 × n each). Throws InvalidArgument
// on a shape mismatch or eps <= 0.
Var layer_norm(Tape& tape, Var x, Var gamma, Var beta, float eps = 1e-5f);

}  // namespace moegnn::ops
