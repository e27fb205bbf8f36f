// SPDX-License-Identifier: Apache-2.0
// LinkPredictionTask: NCN's training and evaluation procedure (ncnc.md §7, §9, §10) as a Task for
// the Trainer. Each epoch draws one uniform non-edge of the training graph per training positive
// (graph/negative_sampling.h), shuffles the positives and steps over batches of batch_size (the
// last incomplete batch dropped, as the reference's PermIterator). With target-link removal
// (mask_input) a step's graph is the training graph without that batch's positives, for message
// passing and common neighbours alike. Loss = -mean log σ(pos) - mean log σ(-neg). Evaluation
// scores validation and test pairs on the whole training graph in chunks and reports OGB's Hits@K
// (models/training/metrics_link.h) against each set's shared negatives; the Trainer selects the
// epoch with the best validation Hits@K.
#pragma once

#include <string>
#include <vector>

#include "models/link/link_model.h"
#include "models/link/link_split.h"
#include "models/training/task.h"

namespace moegnn::training {

struct LinkTaskOptions {
  Index batch_size = 1152;
  Index eval_batch_size = 8192;
  Index hits_k = 100;      // the selection metric Hits@K
  bool mask_input = true;  // target-link removal
  Index max_steps = 0;     // > 0: an epoch stops after this many steps (timing runs); 0: all
};

// Scores of positives and negatives of one set (evaluation mode, whole training graph).
struct PairScores {
  std::vector<float> pos;
  std::vector<float> neg;
};

class LinkPredictionTask final : public Task {
 public:
  // model and features must outlive the task; features: num_nodes × F, or empty when the encoder
  // has no input features. Throws InvalidArgument for batch sizes or hits_k < 1, a split that
  // fails check(LinkSets), fewer training positives than one batch, or unsorted training rows.
  LinkPredictionTask(models::LinkModel& model, Tensor features, models::LinkSets sets,
                     LinkTaskOptions options);

  std::string metric_name() const override { return "hits@" + std::to_string(options_.hits_k); }
  double train_epoch(Index epoch, Rng& rng, Stepper* stepper) override;
  Evaluation evaluate(Index epoch, Rng& rng, bool include_train) override;

  // Logits (evaluation mode) of `pairs` on the training graph, in chunks of eval_batch_size.
  std::vector<float> score(const graph::EdgeList& pairs, Rng& rng);
  // The same for several sets with one encoder pass.
  std::vector<std::vector<float>> score_all(const std::vector<const graph::EdgeList*>& sets,
                                            Rng& rng);
  const models::LinkSets& sets() const { return sets_; }

 private:
  models::LinkModel& model_;
  Tensor features_;
  models::LinkSets sets_;
  LinkTaskOptions options_;
};

}  // namespace moegnn::training
