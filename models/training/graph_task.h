// SPDX-License-Identifier: Apache-2.0
// GraphClassificationTask: graph-level classification for the Trainer (models/training/trainer.h):
// each epoch walks the training graphs in mini-batches (shuffled by the trainer's Rng, cut out of
// the dataset's block-diagonal GraphBatch by select_graphs), one optimizer step of mean
// cross-entropy per batch; evaluation runs the model in eval mode over each set in larger batches
// and scores the mean cross-entropy (double) and the accuracy or macro-F1 of the argmax. The model
// selection, early stopping, checkpoints, resume, log and progress are the Trainer's.
#pragma once

#include <vector>

#include "core/index_array.h"
#include "graph/graph_batch.h"
#include "models/graph/graph_model.h"
#include "models/training/options.h"
#include "models/training/task.h"

namespace moegnn::training {

// Class labels of every graph and three graph-id sets.
struct GraphSplit {
  IndexArray32 labels;  // num_graphs entries in [0, num_classes)
  std::vector<graph::NodeId> train;
  std::vector<graph::NodeId> val;
  std::vector<graph::NodeId> test;
};

struct GraphTaskOptions {
  Index batch_size = 32;         // training graphs per step (PyG examples/gin.py: 128 on TU sets)
  Index eval_batch_size = 1024;  // graphs per evaluation forward pass (no effect on the scores)
  bool shuffle = true;
  Metric metric = Metric::Accuracy;
};

class GraphClassificationTask final : public Task {
 public:
  // `model` must outlive the task. Throws InvalidArgument for an empty training set, a graph id
  // outside the dataset, labels whose count differs from the graphs', a label outside
  // [0, model.out_channels()), a batch whose parts disagree, or batch sizes < 1.
  GraphClassificationTask(models::GraphModel& model, graph::GraphBatch graphs, GraphSplit split,
                          GraphTaskOptions options = {});

  std::string metric_name() const override {
    return options_.metric == Metric::Accuracy ? "acc" : "f1";
  }
  double train_epoch(Index epoch, Rng& rng, Stepper* stepper) override;
  Evaluation evaluate(Index epoch, Rng& rng, bool include_train) override;

  // Logits (ids.size() × classes) of graphs `ids` in evaluation mode; leaves the model's mode as
  // it was.
  Tensor predict(std::span<const graph::NodeId> ids, Rng& rng);
  const GraphSplit& split() const { return split_; }

 private:
  models::GraphModel& model_;
  graph::GraphBatch graphs_;
  GraphSplit split_;
  GraphTaskOptions options_;
};

}  // namespace moegnn::training
