// SPDX-License-Identifier: Apache-2.0
// RankingTask: BPR training of a recommender (models/rec) and full-ranking scores, as a Task, so
// the Trainer adds model selection / early stopping on validation NDCG@K, checkpoints, resume, the
// JSON log and the progress bar. An epoch walks every training interaction once (BprSampler) in
// optimizer steps of batch_size triples, each on a fresh tape running the model's full forward;
// evaluation ranks all items for each validation and test user with the training items masked.
#pragma once

#include <string>
#include <vector>

#include "graph/csr.h"
#include "models/rec/bpr.h"
#include "models/rec/ranking.h"
#include "models/rec/rec_model.h"
#include "models/training/task.h"

namespace moegnn::training {

struct RankingTaskOptions {
  Index batch_size = 1024;
  float l2 = 1e-4f;               // λ of the L2 term on the batch's layer-0 rows
  std::vector<Index> ks{10, 20};  // evaluated cut-offs, ascending
  Index metric_k = 10;            // the metric is NDCG@metric_k (must be in ks)
  Index eval_every = 1;           // evaluate every this many epochs (and never skip the last)
  Index epochs = 0;               // the run's last epoch (always evaluated); 0: unknown
  Index max_steps = 0;            // > 0: stop each epoch after this many steps (timing runs)
};

class RankingTask final : public Task {
 public:
  // train / val / test: users × items lists (datasets::Interactions' sets); `model` and the lists
  // must outlive the task. Throws InvalidArgument for batch_size < 1, l2 < 0, max_steps < 0,
  // metric_k not in ks, eval_every < 1, lists whose sizes differ from the model's, or as
  // BprSampler.
  RankingTask(rec::RecModel& model, const graph::Csr& train, const graph::Csr& val,
              const graph::Csr& test, RankingTaskOptions options);

  std::string metric_name() const override;
  double train_epoch(Index epoch, Rng& rng, Stepper* stepper) override;
  // val / test metric: NDCG@metric_k (kNotComputed for an empty set or a skipped epoch); losses
  // are not computed.
  Evaluation evaluate(Index epoch, Rng& rng, bool include_train) override;

  // Every metric of the current model on `truth` (val or test), training items masked.
  // Throws InvalidArgument when no user has a held-out item.
  rec::RankingMetrics score(const graph::Csr& truth) const;

 private:
  rec::RecModel& model_;
  const graph::Csr& train_;
  const graph::Csr& val_;
  const graph::Csr& test_;
  RankingTaskOptions options_;
  rec::BprSampler sampler_;
};

// Splits Z ((U + I) × d) into its user rows and its item rows (copies).
std::pair<Tensor, Tensor> split_embeddings(const Tensor& z, Index num_users);

}  // namespace moegnn::training
