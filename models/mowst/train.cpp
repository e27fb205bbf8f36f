// SPDX-License-Identifier: Apache-2.0
// Mowst and Mowst* training loops. The frozen side of a Mowst turn is evaluated once per turn in
// evaluation mode and enters the loss as a constant (the reference recomputes it every epoch in
// training mode, with dropout; see docs/mowst.md).
#include "models/mowst/train.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <memory>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/reduce.h"
#include "core/ops/shape.h"
#include "core/optim/adam.h"
#include "core/optim/adamw.h"
#include "models/metrics.h"
#include "models/mowst/inference.h"
#include "models/training/fit.h"
#include "models/training/model_state.h"

namespace moegnn::mowst {
namespace {

using training::ModelSnapshot;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::unique_ptr<optim::Optimizer> make_optimizer(std::vector<optim::ParamGroup> groups,
                                                 bool adamw) {
  if (adamw) return std::make_unique<optim::AdamW>(std::move(groups));
  return std::make_unique<optim::Adam>(std::move(groups));
}

// rows.size() × K one-hot rows of the labels of `rows`.
Tensor one_hot(const IndexArray32& labels, const IndexArray32& rows, Index num_classes) {
  Tensor out = Tensor::zeros(rows.size(), num_classes);
  auto o = out.host();
  for (Index i = 0; i < rows.size(); ++i) {
    const auto v = rows[i];
    MOEGNN_CHECK_AS(InvalidArgument, "train_mowst", v >= 0 && v < labels.size(), "node ", v,
                    " vs [0, ", labels.size(), ")");
    const auto y = labels[v];
    MOEGNN_CHECK_AS(InvalidArgument, "train_mowst", y >= 0 && y < num_classes, "label of node ", v,
                    " is ", y, " vs [0, ", num_classes, ")");
    o(i, y) = 1.0f;
  }
  return out;
}

// log p_y of each selected row: logits rows × K -> rows × 1.
Var picked_log_probs(Tape& tape, Var logits, const Tensor& onehot) {
  return ops::sum(tape, ops::mul(tape, ops::log_softmax(tape, logits), tape.constant(onehot)),
                  ops::Over::Cols);
}

Var one_minus(Tape& tape, Var c) { return ops::add_scalar(tape, ops::neg(tape, c), 1.0f); }

// Eq. 1: mean over rows of C·CE(z1) + (1 − C)·CE(z2), from log p_y of each expert (rows × 1).
Var mowst_loss(Tape& tape, Var c, Var log_p1, Var log_p2) {
  Var mixed = ops::add(tape, ops::mul(tape, c, log_p1), ops::mul(tape, one_minus(tape, c), log_p2));
  return ops::neg(tape, ops::mean(tape, mixed));
}

// Eq. 3 (Mowst*): CE of the mixture of probabilities (paper) or of logits (reference code).
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

Tensor rows_of(const Tensor& t, const IndexArray32& rows) { return ops::gather_rows(t, rows); }

double mean_of(const Tensor& c, const IndexArray32& rows) {
  if (rows.empty()) return 0.0;
  double s = 0.0;
  const auto h = c.host();
  for (const auto v : rows.host()) s += h(v, 0);
  return s / static_cast<double>(rows.size());
}

struct Context {
  Mowst& model;
  const MowstGraphs& graphs;
  Tensor x;
  const training::NodeSplit& split;
  const MowstTrainOptions& options;
  Tensor train_onehot;
  Tensor val_onehot;
  Rng rng;
  MowstFit fit{};
  Index step = 0;

  ModelSnapshot capture() {
    return ModelSnapshot::capture(model.parameters(), model.batch_norm_refs());
  }
  void restore(const ModelSnapshot& s) { s.restore(model.parameters(), model.batch_norm_refs()); }
  void record(Phase phase, Index round, double loss, double val, double val_loss, double mean_c) {
    fit.curve.push_back({++step, phase, round, loss, val, val_loss, mean_c});
  }
};

// Trains one expert alone with the Trainer (plain CE, early stopping on validation loss).
void pretrain(Context& ctx, models::NodeModel& expert, const graph::Csr& graph, Phase phase) {
  const auto& o = ctx.options;
  training::TrainOptions t;
  t.epochs = o.pretrain_epochs;
  t.lr = o.lr;
  t.weight_decay = o.weight_decay;
  t.seed = ctx.rng.next_u64();
  t.select_on = training::Monitor::ValLoss;
  t.early_stopping = {.patience = o.pretrain_patience, .monitor = training::Monitor::ValLoss};
  t.evaluate_train = false;
  t.progress = false;
  t.batch_norms = node_model_batch_norms(expert, "");
  if (o.adamw) {
    t.make_optimizer = [&o](std::vector<Parameter*> params) {
      return make_optimizer({{std::move(params), o.lr, o.weight_decay}}, true);
    };
  }
  Tensor x = ctx.x;
  training::ForwardFn forward = [&expert, &graph, x](Tape& tape, Rng& rng) {
    return expert.forward(tape, graph, tape.constant(x), rng);
  };
  const auto result = training::fit_full_batch(expert, forward, ctx.split, t);
  for (const auto& e : result.history) ctx.record(phase, 0, e.loss, e.val_metric, e.val_loss, kNaN);
}

// One Mowst turn (weak: weak expert + gate; strong: strong expert). Leaves the model at the
// turn's best state when it beats `best`, else at the state the turn started from.
double run_turn(Context& ctx, bool weak_turn, optim::Optimizer& opt, double best, Index round) {
  Mowst& m = ctx.model;
  const auto& o = ctx.options;
  const auto& split = ctx.split;
  const ModelSnapshot start = ctx.capture();
  // The frozen side, once, in evaluation mode.
  Tensor z1 = eval_logits(m.weak(), ctx.graphs.weak, ctx.x);
  Tensor c = eval_confidence(m, z1, ctx.x);
  Tensor z2 = eval_logits(m.strong(), ctx.graphs.strong, ctx.x);
  IndexArray32 pred1 = ops::argmax_rows(z1);
  IndexArray32 pred2 = ops::argmax_rows(z2);
  Tensor frozen_log_p;  // train rows × 1 of the frozen expert
  {
    Tape t(Tape::Mode::Inference);
    const Tensor& z = weak_turn ? z2 : z1;
    frozen_log_p =
        picked_log_probs(t, t.constant(rows_of(z, split.train)), ctx.train_onehot).value();
  }
  const Tensor frozen_c = rows_of(c, split.train);

  double turn_best = -std::numeric_limits<double>::infinity();
  ModelSnapshot turn_snapshot;
  Index bad = 0;
  const Phase phase = weak_turn ? Phase::WeakTurn : Phase::StrongTurn;
  for (Index epoch = 0; epoch < o.turn_epochs; ++epoch) {
    m.weak().train(weak_turn);
    m.gate().train(weak_turn);
    m.strong().train(!weak_turn);
    opt.zero_grad();
    Tape tape;
    Var xv = tape.constant(ctx.x);
    Var loss;
    if (weak_turn) {
      Var z = m.weak().forward(tape, ctx.graphs.weak, xv, ctx.rng);
      Var conf = ops::gather_rows(tape, m.confidence(tape, z, xv, ctx.rng), split.train);
      Var log_p1 = picked_log_probs(tape, ops::gather_rows(tape, z, split.train), ctx.train_onehot);
      loss = mowst_loss(tape, conf, log_p1, tape.constant(frozen_log_p));
    } else {
      Var z = m.strong().forward(tape, ctx.graphs.strong, xv, ctx.rng);
      Var log_p2 = picked_log_probs(tape, ops::gather_rows(tape, z, split.train), ctx.train_onehot);
      loss = mowst_loss(tape, tape.constant(frozen_c), tape.constant(frozen_log_p), log_p2);
    }
    tape.backward(loss);
    opt.step();
    // Evaluate the side that moved.
    if (weak_turn) {
      z1 = eval_logits(m.weak(), ctx.graphs.weak, ctx.x);
      c = eval_confidence(m, z1, ctx.x);
      pred1 = ops::argmax_rows(z1);
    } else {
      pred2 = ops::argmax_rows(eval_logits(m.strong(), ctx.graphs.strong, ctx.x));
    }
    const double val = expected_accuracy(pred1, pred2, c, split.labels, split.val);
    ctx.record(phase, round, loss.value().item(), val, kNaN, mean_of(c, split.val));
    if (val > turn_best) {
      turn_best = val;
      turn_snapshot = ctx.capture();
      bad = 0;
    } else if (++bad >= o.turn_patience) {
      break;
    }
  }
  if (turn_best > best) {
    ctx.restore(turn_snapshot);
    return turn_best;
  }
  ctx.restore(start);
  return best;
}

void train_alternating(Context& ctx) {
  Mowst& m = ctx.model;
  const auto& o = ctx.options;
  auto opt_weak = make_optimizer({{m.weak().parameters(), o.lr, o.weight_decay},
                                  {m.gate().parameters(), o.lr_gate, o.weight_decay}},
                                 o.adamw);
  auto opt_strong = make_optimizer({{m.strong().parameters(), o.lr, o.weight_decay}}, o.adamw);
  const Tensor z1 = eval_logits(m.weak(), ctx.graphs.weak, ctx.x);
  double best = expected_accuracy(
      ops::argmax_rows(z1), ops::argmax_rows(eval_logits(m.strong(), ctx.graphs.strong, ctx.x)),
      eval_confidence(m, z1, ctx.x), ctx.split.labels, ctx.split.val);
  Index bad_rounds = 0;
  for (Index round = 1; round <= o.max_rounds; ++round) {
    ctx.fit.rounds = round;
    const double before = best;
    best = run_turn(ctx, /*weak_turn=*/true, *opt_weak, best, round);
    best = run_turn(ctx, /*weak_turn=*/false, *opt_strong, best, round);
    if (best > before) {
      bad_rounds = 0;
    } else if (++bad_rounds >= o.round_patience) {
      break;
    }
  }
  ctx.fit.best_val = best;  // each turn left the model at the best state so far
}

void train_joint(Context& ctx) {
  Mowst& m = ctx.model;
  const auto& o = ctx.options;
  const auto& split = ctx.split;
  auto opt = make_optimizer({{m.weak().parameters(), o.lr, o.weight_decay},
                             {m.strong().parameters(), o.lr, o.weight_decay},
                             {m.gate().parameters(), o.lr_gate, o.weight_decay}},
                            o.adamw);
  double best_loss = std::numeric_limits<double>::infinity();
  ModelSnapshot best_snapshot = ctx.capture();
  Index bad = 0;
  for (Index epoch = 0; epoch < o.epochs; ++epoch) {
    m.train(true);
    opt->zero_grad();
    Tape tape;
    Var xv = tape.constant(ctx.x);
    Var z1 = m.weak().forward(tape, ctx.graphs.weak, xv, ctx.rng);
    Var z2 = m.strong().forward(tape, ctx.graphs.strong, xv, ctx.rng);
    Var c = m.confidence(tape, z1, xv, ctx.rng);
    Var loss = star_loss(tape, ops::gather_rows(tape, z1, split.train),
                         ops::gather_rows(tape, z2, split.train),
                         ops::gather_rows(tape, c, split.train), ctx.train_onehot, o.star_mix);
    tape.backward(loss);
    opt->step();
    // Evaluation: mixture loss and accuracy on the validation nodes.
    const Tensor e1 = eval_logits(m.weak(), ctx.graphs.weak, ctx.x);
    const Tensor e2 = eval_logits(m.strong(), ctx.graphs.strong, ctx.x);
    const Tensor ec = eval_confidence(m, e1, ctx.x);
    Tape t(Tape::Mode::Inference);
    const double val_loss =
        star_loss(t, t.constant(rows_of(e1, split.val)), t.constant(rows_of(e2, split.val)),
                  t.constant(rows_of(ec, split.val)), ctx.val_onehot, o.star_mix)
            .value()
            .item();
    const double val = models::accuracy(mixture_predictions(e1, e2, ec), split.labels, split.val);
    ctx.record(Phase::Joint, 0, loss.value().item(), val, val_loss, mean_of(ec, split.val));
    if (val_loss < best_loss) {
      best_loss = val_loss;
      best_snapshot = ctx.capture();
      ctx.fit.best_val = val;
      bad = 0;
    } else if (o.patience > 0 && ++bad >= o.patience) {
      break;
    }
  }
  ctx.restore(best_snapshot);
}

}  // namespace

const char* to_string(Phase phase) {
  switch (phase) {
  case Phase::PretrainWeak:
    return "pretrain_weak";
  case Phase::PretrainStrong:
    return "pretrain_strong";
  case Phase::WeakTurn:
    return "weak_turn";
  case Phase::StrongTurn:
    return "strong_turn";
  case Phase::Joint:
    return "joint";
  }
  return "?";
}

MowstFit train_mowst(Mowst& model, const MowstGraphs& graphs, const Tensor& x,
                     const training::NodeSplit& split, Index num_classes,
                     const MowstTrainOptions& options) {
  MOEGNN_CHECK_AS(InvalidArgument, "train_mowst", !split.train.empty() && !split.val.empty(),
                  "train has ", split.train.size(), " and val ", split.val.size(),
                  " nodes vs both non-empty (selection uses validation)");
  MOEGNN_CHECK_AS(InvalidArgument, "train_mowst",
                  x.rows() == graphs.strong.num_nodes() && x.rows() == graphs.weak.num_nodes() &&
                      split.labels.size() == x.rows(),
                  "x has ", x.rows(), " rows, labels ", split.labels.size(), " vs ",
                  graphs.strong.num_nodes(), " nodes");
  const auto start = std::chrono::steady_clock::now();
  Context ctx{model,
              graphs,
              x,
              split,
              options,
              one_hot(split.labels, split.train, num_classes),
              one_hot(split.labels, split.val, num_classes),
              Rng(options.seed)};
  if (options.pretrain == Pretrain::Weak || options.pretrain == Pretrain::Both)
    pretrain(ctx, model.weak(), graphs.weak, Phase::PretrainWeak);
  if (options.pretrain == Pretrain::Strong || options.pretrain == Pretrain::Both)
    pretrain(ctx, model.strong(), graphs.strong, Phase::PretrainStrong);
  if (options.variant == Variant::Mowst)
    train_alternating(ctx);
  else
    train_joint(ctx);
  model.eval();
  ctx.fit.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return std::move(ctx.fit);
}

}  // namespace moegnn::mowst
