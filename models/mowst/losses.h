// SPDX-License-Identifier: Apache-2.0
// The losses of Mowst (Eq. 1) and Mowst* (Eq. 3) on the tape, from the experts' logits of the
// training rows and the one-hot labels of those rows.
#pragma once

#include "core/tape.h"
#include "models/mowst/train.h"

namespace moegnn::mowst {

// log p_y of each selected row: logits rows × K, onehot rows × K -> rows × 1.
Var picked_log_probs(Tape& tape, Var logits, const Tensor& onehot);

// Eq. 1: mean over rows of C·CE(z1) + (1 − C)·CE(z2), from log p_y of each expert (rows × 1).
Var mowst_loss(Tape& tape, Var c, Var log_p1, Var log_p2);

// Eq. 3 (Mowst*): CE of the mixture C·p + (1 − C)·p' (paper) or of C·z + (1 − C)·z' (reference
// code), z1, z2: rows × K, c: rows × 1.
Var star_loss(Tape& tape, Var z1, Var z2, Var c, const Tensor& onehot, StarMix mix);

}  // namespace moegnn::mowst
