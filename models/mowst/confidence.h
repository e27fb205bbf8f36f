// SPDX-License-Identifier: Apache-2.0
// Dispersion functions of Mowst (Zeng et al., ICLR 2024, §3 below Prop. 2.2): how peaked the weak
// expert's class distribution p = softmax(z) is, each normalised to [0, 1] (0 for the uniform
// vector, 1 for a one-hot vector). The learnable gate (models/mowst/gate.h) shapes them into the
// confidence C. Tensor forms are for metrics and tests; the tape form feeds training.
#pragma once

#include "core/tape.h"
#include "core/tensor.h"

namespace moegnn::mowst {

// D_var(p) = Var(p) / Var(e_1) = (K·‖p‖² − 1) / (K − 1), population variance over the K entries.
// probs: m × K rows of probabilities, K >= 2 -> m × 1. Throws InvalidArgument for K < 2.
Tensor variance_dispersion(const Tensor& probs);

// D_ent(p) = 1 − H(p) / log K with H(p) = −Σ p_i log p_i (0 · log 0 = 0).
// probs: m × K, K >= 2 -> m × 1. Throws InvalidArgument for K < 2.
Tensor entropy_dispersion(const Tensor& probs);

// [D_var, D_ent] of softmax(logits): m × K logits -> m × 2. The entropy uses log_softmax, so it is
// finite for saturated rows. Throws InvalidArgument for K < 2.
Tensor dispersions(const Tensor& logits);

// The same on the tape; the gradient flows back into `logits` (wrap the logits in a constant to
// stop it, as the reference code does with torch.no_grad()). Throws InvalidArgument for K < 2.
Var dispersions(Tape& tape, Var logits);

}  // namespace moegnn::mowst
