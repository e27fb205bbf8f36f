// SPDX-License-Identifier: Apache-2.0
// Mowst's and Mowst*'s losses.
#include "models/mowst/losses.h"

#include "core/ops/elementwise.h"
#include "core/ops/reduce.h"

namespace moegnn::mowst {
namespace {

Var one_minus(Tape& tape, Var c) { return ops::add_scalar(tape, ops::neg(tape, c), 1.0f); }

}  // namespace

Var picked_log_probs(Tape& tape, Var logits, const Tensor& onehot) {
  return ops::sum(tape, ops::mul(tape, ops::log_softmax(tape, logits), tape.constant(onehot)),
                  ops::Over::Cols);
}

Var mowst_loss(Tape& tape, Var c, Var log_p1, Var log_p2) {
  Var mixed = ops::add(tape, ops::mul(tape, c, log_p1), ops::mul(tape, one_minus(tape, c), log_p2));
  return ops::neg(tape, ops::mean(tape, mixed));
}

Var star_loss(Tape& tape, Var z1, Var z2, Var c, const Tensor& onehot, StarMix mix) {
  if (mix == StarMix::Logits) {
    Var z = ops::add(tape, ops::mul(tape, z1, c), ops::mul(tape, z2, one_minus(tape, c)));
    return ops::neg(tape, ops::mean(tape, picked_log_probs(tape, z, onehot)));
  }
  Var p = ops::add(tape, ops::mul(tape, ops::softmax(tape, z1), c),
                   ops::mul(tape, ops::softmax(tape, z2), one_minus(tape, c)));
  Var log_p = ops::log(tape, ops::clamp(tape, p, 1e-12f, 1.0f));
  Var picked = ops::sum(tape, ops::mul(tape, log_p, tape.constant(onehot)), ops::Over::Cols);
  return ops::neg(tape, ops::mean(tape, picked));
}

}  // namespace moegnn::mowst
