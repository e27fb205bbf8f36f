// SPDX-License-Identifier: Apache-2.0
// BPR epochs through the trainer's Stepper and NDCG@K scores for the trainer's selection.
#include "models/training/ranking_task.h"

#include <algorithm>

#include "core/error.h"
#include "core/ops/elementwise.h"

namespace moegnn::training {

std::pair<Tensor, Tensor> split_embeddings(const Tensor& z, Index num_users) {
  const auto h = z.host();
  Tensor users = Tensor::zeros(num_users, z.cols());
  Tensor items = Tensor::zeros(z.rows() - num_users, z.cols());
  users.host() = h.topRows(num_users);
  items.host() = h.bottomRows(z.rows() - num_users);
  return {users, items};
}

RankingTask::RankingTask(rec::RecModel& model, const graph::Csr& train, const graph::Csr& val,
                         const graph::Csr& test, RankingTaskOptions options)
    : model_(model),
      train_(train),
      val_(val),
      test_(test),
      options_(std::move(options)),
      sampler_(train, model.num_items()) {
  const RankingTaskOptions& o = options_;
  MOEGNN_CHECK_AS(InvalidArgument, "RankingTask",
                  o.batch_size >= 1 && o.l2 >= 0.0f && o.eval_every >= 1 && o.max_steps >= 0,
                  "batch_size ", o.batch_size, ", l2 ", o.l2, ", eval_every ", o.eval_every,
                  ", max_steps ", o.max_steps, " vs >= 1, >= 0, >= 1, >= 0");
  MOEGNN_CHECK_AS(InvalidArgument, "RankingTask",
                  std::find(o.ks.begin(), o.ks.end(), o.metric_k) != o.ks.end(), "metric_k ",
                  o.metric_k, " vs one of the evaluated ks");
  for (const graph::Csr* g : {&train, &val, &test})
    MOEGNN_CHECK_AS(InvalidArgument, "RankingTask",
                    g->num_rows() == model.num_users() && g->num_cols() == model.num_items(),
                    "lists of ", g->num_rows(), " users × ", g->num_cols(),
                    " items vs the model's ", model.num_users(), " × ", model.num_items());
}

std::string RankingTask::metric_name() const { return "ndcg@" + std::to_string(options_.metric_k); }

double RankingTask::train_epoch(Index, Rng& rng, Stepper* stepper) {
  MOEGNN_CHECK_AS(InvalidArgument, "RankingTask", stepper != nullptr,
                  "no optimizer step vs the trainer's");
  const std::vector<rec::BprBatch> batches = sampler_.epoch(rng, options_.batch_size);
  double sum = 0.0;
  Index rows = 0;
  Index steps = 0;
  for (const rec::BprBatch& batch : batches) {
    if (options_.max_steps > 0 && steps++ == options_.max_steps) break;
    const float loss = stepper->step([&](Tape& tape) {
      Var l = rec::bpr_loss(tape, model_.forward(tape), batch);
      if (options_.l2 > 0.0f)
        l = ops::add(tape, l,
                     ops::mul_scalar(tape, rec::bpr_l2(tape, tape.param(model_.embedding()), batch),
                                     options_.l2));
      return l;
    });
    sum += static_cast<double>(loss) * static_cast<double>(batch.size());
    rows += batch.size();
  }
  return sum / static_cast<double>(rows);
}

rec::RankingMetrics RankingTask::score(const graph::Csr& truth) const {
  const auto [users, items] = split_embeddings(model_.embeddings(), model_.num_users());
  return rec::evaluate_ranking(users, items, train_, truth, options_.ks);
}

Evaluation RankingTask::evaluate(Index epoch, Rng&, bool) {
  Evaluation out;
  const bool last = options_.epochs > 0 && epoch >= options_.epochs;
  if (epoch % options_.eval_every != 0 && !last) return out;
  const auto [users, items] = split_embeddings(model_.embeddings(), model_.num_users());
  const auto metric = [&](const graph::Csr& truth) {
    if (truth.num_edges() == 0) return kNotComputed;
    return rec::evaluate_ranking(users, items, train_, truth, options_.ks)
        .at("ndcg", options_.metric_k);
  };
  out.val.metric = metric(val_);
  out.test.metric = metric(test_);
  return out;
}

}  // namespace moegnn::training
