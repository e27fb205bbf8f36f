// SPDX-License-Identifier: Apache-2.0
// MowstTask: Mowst's alternating turns and Mowst*'s joint epochs.
#include <limits>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/reduce.h"
#include "core/ops/shape.h"
#include "models/mowst/inference.h"
#include "models/mowst/losses.h"
#include "models/mowst/task.h"
#include "models/training/metrics.h"

namespace moegnn::mowst {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Tensor rows_of(const Tensor& t, const IndexArray32& rows) { return ops::gather_rows(t, rows); }

double mean_of(const Tensor& c, const IndexArray32& rows) {
  if (rows.empty()) return 0.0;
  double s = 0.0;
  const auto h = c.host();
  for (const auto v : rows.host()) s += h(v, 0);
  return s / static_cast<double>(rows.size());
}

}  // namespace

// The frozen side and the running predictions, in evaluation mode, from the current model.
void MowstTask::refresh_turn_cache() {
  Mowst& m = model_;
  cache_.z1 = eval_logits(m.weak(), graphs_.weak, x_);
  cache_.c = eval_confidence(m, cache_.z1, x_);
  const Tensor z2 = eval_logits(m.strong(), graphs_.strong, x_);
  cache_.pred1 = ops::argmax_rows(cache_.z1);
  cache_.pred2 = ops::argmax_rows(z2);
  Tape t(Tape::Mode::Inference);
  const Tensor& z = weak_turn_ ? z2 : cache_.z1;
  cache_.frozen_log_p =
      picked_log_probs(t, t.constant(rows_of(z, split_.train)), train_onehot_).value();
  cache_.frozen_c = rows_of(cache_.c, split_.train);
  cache_valid_ = true;
}

void MowstTask::start_turn() {
  if (!rounds_started_) {
    Mowst& m = model_;
    const Tensor z1 = eval_logits(m.weak(), graphs_.weak, x_);
    best_ = expected_accuracy(ops::argmax_rows(z1),
                              ops::argmax_rows(eval_logits(m.strong(), graphs_.strong, x_)),
                              eval_confidence(m, z1, x_), split_.labels, split_.val);
    rounds_started_ = true;
    round_ = 1;
    fit_.rounds = 1;
    before_ = best_;
    weak_turn_ = true;
  }
  turn_start_ = capture();
  refresh_turn_cache();
  turn_best_ = -std::numeric_limits<double>::infinity();
  turn_snapshot_ = {};
  bad_ = 0;
  turn_epoch_ = 0;
  in_turn_ = true;
}

double MowstTask::turn_epoch(Rng& rng) {
  if (!cache_valid_) refresh_turn_cache();
  Mowst& m = model_;
  const auto& split = split_;
  m.weak().train(weak_turn_);
  m.gate().train(weak_turn_);
  m.strong().train(!weak_turn_);
  optim::Optimizer& opt = weak_turn_ ? *opt_weak_ : *opt_strong_;
  opt.zero_grad();
  Tape tape;
  Var xv = tape.constant(x_);
  Var loss;
  if (weak_turn_) {
    Var z = m.weak().forward(tape, graphs_.weak, xv, rng);
    Var conf = ops::gather_rows(tape, m.confidence(tape, z, xv, rng), split.train);
    Var log_p1 = picked_log_probs(tape, ops::gather_rows(tape, z, split.train), train_onehot_);
    loss = mowst_loss(tape, conf, log_p1, tape.constant(cache_.frozen_log_p));
  } else {
    Var z = m.strong().forward(tape, graphs_.strong, xv, rng);
    Var log_p2 = picked_log_probs(tape, ops::gather_rows(tape, z, split.train), train_onehot_);
    loss = mowst_loss(tape, tape.constant(cache_.frozen_c), tape.constant(cache_.frozen_log_p),
                      log_p2);
  }
  tape.backward(loss);
  opt.step();
  // Evaluate the side that moved.
  if (weak_turn_) {
    cache_.z1 = eval_logits(m.weak(), graphs_.weak, x_);
    cache_.c = eval_confidence(m, cache_.z1, x_);
    cache_.pred1 = ops::argmax_rows(cache_.z1);
  } else {
    cache_.pred2 = ops::argmax_rows(eval_logits(m.strong(), graphs_.strong, x_));
  }
  const double val =
      expected_accuracy(cache_.pred1, cache_.pred2, cache_.c, split.labels, split.val);
  const double value = loss.value().item();
  record(weak_turn_ ? Phase::WeakTurn : Phase::StrongTurn, round_, value, val, kNaN,
         mean_of(cache_.c, split.val));
  ++turn_epoch_;
  if (val > turn_best_) {
    turn_best_ = val;
    turn_snapshot_ = capture();
    bad_ = 0;
  } else if (++bad_ >= options_.turn_patience) {
    end_turn();
    return value;
  }
  if (turn_epoch_ >= options_.turn_epochs) end_turn();
  return value;
}

// Keeps the turn's best state when it beats the best so far, else returns to the turn's start;
// after a strong turn, closes the round (rounds stop after round_patience without a better score).
void MowstTask::end_turn() {
  if (turn_best_ > best_) {
    restore(turn_snapshot_);
    best_ = turn_best_;
  } else {
    restore(turn_start_);
  }
  in_turn_ = false;
  cache_valid_ = false;
  if (weak_turn_) {
    weak_turn_ = false;
    return;
  }
  weak_turn_ = true;
  const bool stop = best_ > before_ ? (bad_rounds_ = 0, false)
                                    : ++bad_rounds_ >= options_.round_patience;
  if (stop || round_ >= options_.max_rounds) {
    fit_.best_val = best_;  // each turn left the model at the best state so far
    stage_ = Stage::Done;
    return;
  }
  ++round_;
  fit_.rounds = round_;
  before_ = best_;
}

double MowstTask::joint_epoch(Rng& rng) {
  Mowst& m = model_;
  const auto& o = options_;
  const auto& split = split_;
  if (!joint_started_) {
    best_loss_ = std::numeric_limits<double>::infinity();
    joint_best_ = capture();
    bad_ = 0;
    joint_epoch_ = 0;
    joint_started_ = true;
  }
  m.train(true);
  opt_joint_->zero_grad();
  Tape tape;
  Var xv = tape.constant(x_);
  Var z1 = m.weak().forward(tape, graphs_.weak, xv, rng);
  Var z2 = m.strong().forward(tape, graphs_.strong, xv, rng);
  Var c = m.confidence(tape, z1, xv, rng);
  Var loss = star_loss(tape, ops::gather_rows(tape, z1, split.train),
                       ops::gather_rows(tape, z2, split.train),
                       ops::gather_rows(tape, c, split.train), train_onehot_, o.star_mix);
  tape.backward(loss);
  opt_joint_->step();
  // Evaluation: mixture loss and accuracy on the validation nodes.
  const Tensor e1 = eval_logits(m.weak(), graphs_.weak, x_);
  const Tensor e2 = eval_logits(m.strong(), graphs_.strong, x_);
  const Tensor ec = eval_confidence(m, e1, x_);
  Tape t(Tape::Mode::Inference);
  const double val_loss =
      star_loss(t, t.constant(rows_of(e1, split.val)), t.constant(rows_of(e2, split.val)),
                t.constant(rows_of(ec, split.val)), val_onehot_, o.star_mix)
          .value()
          .item();
  const double val =
      training::accuracy(mixture_predictions(e1, e2, ec), split.labels, split.val);
  const double value = loss.value().item();
  record(Phase::Joint, 0, value, val, val_loss, mean_of(ec, split.val));
  ++joint_epoch_;
  bool stop = joint_epoch_ >= o.epochs;
  if (val_loss < best_loss_) {
    best_loss_ = val_loss;
    joint_best_ = capture();
    fit_.best_val = val;
    bad_ = 0;
  } else if (o.patience > 0 && ++bad_ >= o.patience) {
    stop = true;
  }
  if (stop) {
    restore(joint_best_);
    stage_ = Stage::Done;
  }
  return value;
}

}  // namespace moegnn::mowst
