// SPDX-License-Identifier: Apache-2.0
// NodeClassificationTask: cross-entropy on the training nodes' logits, and on each evaluation set
// the mean cross-entropy (double) and TrainOptions::metric (accuracy or macro-F1 of the argmax),
// over any NodeBatchSource (the full graph, or sampled blocks from a feature store).
#pragma once

#include <memory>
#include <string>

#include "models/training/batch_source.h"
#include "models/training/options.h"
#include "models/training/task.h"

namespace moegnn::training {

class NodeClassificationTask final : public Task {
 public:
  // Throws InvalidArgument for an empty training set, a node id outside the labels, or labels
  // whose count differs from the source's nodes.
  NodeClassificationTask(std::unique_ptr<NodeBatchSource> source, LabeledSplit split, Metric metric);

  std::string metric_name() const override {
    return metric_ == Metric::Accuracy ? "acc" : metric_ == Metric::MacroF1 ? "f1" : "auc";
  }
  double train_epoch(Index epoch, Rng& rng, Stepper* stepper) override;
  Evaluation evaluate(Index epoch, Rng& rng, bool include_train) override;

  const LabeledSplit& split() const { return split_; }

 private:
  std::unique_ptr<NodeBatchSource> source_;
  LabeledSplit split_;
  Metric metric_;
};

}  // namespace moegnn::training
