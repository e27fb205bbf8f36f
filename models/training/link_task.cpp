// SPDX-License-Identifier: Apache-2.0
// Link prediction as a Task: epoch negatives, target-link removal, chunked evaluation.
#include "models/training/link_task.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.h"
#include "core/ops/loss.h"
#include "core/ops/elementwise.h"
#include "graph/builder.h"
#include "graph/negative_sampling.h"
#include "models/training/metrics_link.h"

namespace moegnn::training {
namespace {

graph::EdgeList pick(const graph::EdgeList& e, const std::vector<std::int32_t>& ids, Index begin,
                     Index end) {
  std::vector<graph::NodeId> s, d;
  for (Index k = begin; k < end; ++k) {
    const auto id = ids[static_cast<std::size_t>(k)];
    s.push_back(e.src[id]);
    d.push_back(e.dst[id]);
  }
  return {graph::NodeIds(s), graph::NodeIds(d)};
}

graph::EdgeList concat(const graph::EdgeList& a, const graph::EdgeList& b) {
  std::vector<graph::NodeId> s = a.src.to_vector(), d = a.dst.to_vector();
  const auto bs = b.src.to_vector(), bd = b.dst.to_vector();
  s.insert(s.end(), bs.begin(), bs.end());
  d.insert(d.end(), bd.begin(), bd.end());
  return {graph::NodeIds(s), graph::NodeIds(d)};
}

// The training graph without the positives whose ids are ids[begin, end) (target-link removal).
graph::Csr without(const graph::EdgeList& train, Index num_nodes,
                   const std::vector<std::int32_t>& ids, Index begin, Index end) {
  std::vector<char> drop(static_cast<std::size_t>(train.size()), 0);
  for (Index k = begin; k < end; ++k) drop[static_cast<std::size_t>(ids[static_cast<std::size_t>(k)])] = 1;
  std::vector<graph::NodeId> s, d;
  for (Index k = 0; k < train.size(); ++k)
    if (drop[static_cast<std::size_t>(k)] == 0) {
      s.push_back(train.src[k]);
      d.push_back(train.dst[k]);
    }
  graph::BuildOptions build;
  build.num_nodes = num_nodes;
  build.symmetric = true;
  build.duplicates = graph::Duplicates::KeepFirst;
  return graph::from_coo(s, d, std::vector<float>{}, build);
}

// Mean of -log σ(z) (positive) or -log σ(-z), in double.
double bce(const std::vector<float>& z, bool positive) {
  double sum = 0.0;
  for (const float v : z) {
    const double x = positive ? -static_cast<double>(v) : static_cast<double>(v);
    sum += std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x)));
  }
  return z.empty() ? kNotComputed : sum / static_cast<double>(z.size());
}

bool rows_sorted(const graph::Csr& g) {
  const auto ptr = g.row_ptr().host();
  const auto col = g.col_idx().host();
  for (std::size_t r = 0; r + 1 < ptr.size(); ++r)
    for (auto k = ptr[r] + 1; k < ptr[r + 1]; ++k)
      if (col[static_cast<std::size_t>(k)] < col[static_cast<std::size_t>(k - 1)]) return false;
  return true;
}

}  // namespace

LinkPredictionTask::LinkPredictionTask(models::LinkModel& model, Tensor features,
                                       models::LinkSets sets, LinkTaskOptions options)
    : model_(model), features_(std::move(features)), sets_(std::move(sets)), options_(options) {
  MOEGNN_CHECK(options_.batch_size >= 1, "batch_size is ", options_.batch_size, " vs >= 1");
  MOEGNN_CHECK(options_.eval_batch_size >= 1, "eval_batch_size is ", options_.eval_batch_size,
               " vs >= 1");
  MOEGNN_CHECK(options_.hits_k >= 1, "hits_k is ", options_.hits_k, " vs >= 1 (Hits@K needs K > 0)");
  models::check(sets_, sets_.train_graph.num_nodes());
  MOEGNN_CHECK(sets_.train_pos.size() >= options_.batch_size, "training has ",
               sets_.train_pos.size(), " positives vs at least one batch of ", options_.batch_size,
               "; lower --batch-size");
  MOEGNN_CHECK(rows_sorted(sets_.train_graph),
               "training graph rows are not sorted vs sorted; build it with graph::from_coo");
}

double LinkPredictionTask::train_epoch(Index, Rng& rng, Stepper* stepper) {
  MOEGNN_CHECK(stepper != nullptr, "no optimizer step vs the trainer's");
  const Index n = sets_.train_graph.num_nodes();
  const Index m = sets_.train_pos.size();
  const graph::EdgeList negatives = graph::negative_sampling(sets_.train_graph, m, rng);
  std::vector<std::int32_t> perm(static_cast<std::size_t>(m));
  std::iota(perm.begin(), perm.end(), 0);
  for (std::size_t i = perm.size(); i > 1; --i) std::swap(perm[i - 1], perm[rng.below(i)]);
  Index batches = m / options_.batch_size;
  if (options_.max_steps > 0) batches = std::min(batches, options_.max_steps);
  double loss_sum = 0.0;
  for (Index b = 0; b < batches; ++b) {
    const Index lo = b * options_.batch_size;
    const Index hi = lo + options_.batch_size;
    const graph::Csr g = options_.mask_input ? without(sets_.train_pos, n, perm, lo, hi)
                                             : sets_.train_graph;
    const graph::EdgeList pairs =
        concat(pick(sets_.train_pos, perm, lo, hi), pick(negatives, perm, lo, hi));
    const float loss = stepper->step([&](Tape& tape) {
      const Var logits = model_.score(tape, g, features_, pairs, rng);
      const Index bs = hi - lo;
      Tensor targets = Tensor::zeros(2 * bs, 1);
      for (Index k = 0; k < bs; ++k) targets.data()[k] = 1.0f;
      // mean over 2·bs = (pos mean + neg mean) / 2: twice it is the reference's loss.
      return ops::mul_scalar(tape, ops::bce_with_logits(tape, logits, targets), 2.0f);
    });
    loss_sum += static_cast<double>(loss);
  }
  return batches > 0 ? loss_sum / static_cast<double>(batches) : kNotComputed;
}

std::vector<float> LinkPredictionTask::score(const graph::EdgeList& pairs, Rng& rng) {
  return score_all({&pairs}, rng).front();
}

std::vector<std::vector<float>> LinkPredictionTask::score_all(
    const std::vector<const graph::EdgeList*>& sets, Rng& rng) {
  const bool was_training = model_.training();
  model_.eval();
  Tensor h;  // the encoder runs once for every set
  {
    Tape tape(Tape::Mode::Inference);
    h = model_.encoder().forward(tape, sets_.train_graph, features_, rng).value();
  }
  std::vector<std::vector<float>> out;
  for (const graph::EdgeList* pairs : sets) {
    std::vector<float>& scores = out.emplace_back();
    scores.reserve(static_cast<std::size_t>(pairs->size()));
    for (Index lo = 0; lo < pairs->size(); lo += options_.eval_batch_size) {
      const Index hi = std::min(pairs->size(), lo + options_.eval_batch_size);
      std::vector<std::int32_t> ids(static_cast<std::size_t>(hi - lo));
      std::iota(ids.begin(), ids.end(), static_cast<std::int32_t>(lo));
      Tape tape(Tape::Mode::Inference);
      const Var logits = model_.predictor().forward(tape, tape.constant(h), sets_.train_graph,
                                                    pick(*pairs, ids, 0, hi - lo), rng);
      const float* v = logits.value().data();
      scores.insert(scores.end(), v, v + logits.rows());
    }
  }
  model_.train(was_training);
  return out;
}

Evaluation LinkPredictionTask::evaluate(Index, Rng& rng, bool) {
  Evaluation out;
  const auto z = score_all({&sets_.val_pos, &sets_.val_neg, &sets_.test_pos, &sets_.test_neg}, rng);
  const auto set_scores = [&](const std::vector<float>& p, const std::vector<float>& q) {
    SetScores s;
    if (p.empty()) return s;
    s.metric = hits_at_k(p, q, options_.hits_k);
    s.loss = bce(p, true) + bce(q, false);
    return s;
  };
  out.val = set_scores(z[0], z[1]);
  out.test = set_scores(z[2], z[3]);
  return out;
}

}  // namespace moegnn::training
