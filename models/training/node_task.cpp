// SPDX-License-Identifier: Apache-2.0
// Node classification: the loss of a batch and the scores of the evaluation sets.
#include "models/training/node_task.h"

#include <cmath>
#include <vector>

#include "core/error.h"
#include "core/ops/loss.h"
#include "core/ops/reduce.h"
#include "models/training/metrics_ogb.h"

namespace moegnn::training {
namespace {

// Mean cross-entropy (double) of `logits` (one row per id of `set`, on the CPU) against
// labels[set[i]].
double mean_cross_entropy(const Tensor& logits, const IndexArray32& labels,
                          const IndexArray32& set) {
  const auto l = logits.host();
  const auto ids = set.host();
  double sum = 0.0;
  for (Index i = 0; i < l.rows(); ++i) {
    const double max = l.row(i).maxCoeff();
    double z = 0.0;
    for (Index c = 0; c < l.cols(); ++c) z += std::exp(static_cast<double>(l(i, c)) - max);
    const std::int32_t y = labels[ids[static_cast<std::size_t>(i)]];
    sum += max + std::log(z) - static_cast<double>(l(i, y));
  }
  return sum / static_cast<double>(l.rows());
}

IndexArray32 labels_of(const IndexArray32& labels, const IndexArray32& nodes) {
  IndexArray32 y(nodes.size());
  for (Index i = 0; i < nodes.size(); ++i) y.host()[static_cast<std::size_t>(i)] = labels[nodes[i]];
  return y;
}

double metric_of(Metric metric, const Tensor& logits, const IndexArray32& labels,
                 const IndexArray32& set) {
  const IndexArray32 y = labels_of(labels, set);
  if (metric == Metric::RocAuc) {  // binary: class 1's logit margin ranks as its probability
    MOEGNN_CHECK_AS(InvalidArgument, "Trainer", logits.cols() == 2, "metric roc_auc with ",
                    logits.cols(), " classes vs 2 (binary labels)");
    const Tensor l = logits.to(Device::Cpu);
    const auto h = l.host();
    std::vector<float> truth(static_cast<std::size_t>(y.size())), score(truth.size());
    for (Index i = 0; i < y.size(); ++i) {
      truth[static_cast<std::size_t>(i)] = static_cast<float>(y[i]);
      score[static_cast<std::size_t>(i)] = h(i, 1) - h(i, 0);
    }
    return roc_auc_score(truth, score);
  }
  const IndexArray32 predicted = ops::argmax_rows(logits);
  return metric == Metric::Accuracy ? accuracy_score(y, predicted) : macro_f1_score(y, predicted);
}

void check_ids(const IndexArray32& set, Index num_labels, const char* name) {
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer", set.device() == Device::Cpu, name, " is on ",
                  to_string(set.device()), " vs cpu");
  for (Index i = 0; i < set.size(); ++i)
    MOEGNN_CHECK_AS(InvalidArgument, "Trainer", set[i] >= 0 && set[i] < num_labels, name, "[", i,
                    "] = ", set[i], " vs a node id in [0, ", num_labels, ")");
}

}  // namespace

NodeClassificationTask::NodeClassificationTask(std::unique_ptr<NodeBatchSource> source,
                                               LabeledSplit split, Metric metric)
    : source_(std::move(source)), split_(std::move(split)), metric_(metric) {
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer", source_ != nullptr, "no batch source vs one");
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer", !split_.train.empty(),
                  "the training set is empty vs at least one node");
  check_ids(split_.train, split_.labels.size(), "train");
  check_ids(split_.val, split_.labels.size(), "val");
  check_ids(split_.test, split_.labels.size(), "test");
  const Index nodes = source_->num_nodes();
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer", nodes < 0 || split_.labels.size() == nodes,
                  "labels have ", split_.labels.size(), " entries vs ", nodes,
                  " nodes in the graph");
}

double NodeClassificationTask::train_epoch(Index epoch, Rng& rng, Stepper* stepper) {
  MOEGNN_CHECK_AS(InvalidArgument, "NodeClassificationTask", stepper != nullptr,
                  "no optimizer step vs the trainer's");
  const Index batches = source_->num_batches(epoch);
  double loss_sum = 0.0;
  Index rows = 0;
  for (Index b = 0; b < batches; ++b) {
    Index batch_rows = 0;
    const float loss = stepper->step([&](Tape& tape) {
      const BatchLogits out = source_->forward_batch(tape, b, rng);
      if (out.nodes.empty()) {  // the whole graph: the loss selects the training rows
        batch_rows = split_.train.size();
        return ops::cross_entropy(tape, out.logits, split_.labels, split_.train);
      }
      batch_rows = out.nodes.size();
      return ops::cross_entropy(tape, out.logits, labels_of(split_.labels, out.nodes));
    });
    if (batches == 1) return loss;  // the one step's loss, as it was computed
    loss_sum += static_cast<double>(loss) * static_cast<double>(batch_rows);
    rows += batch_rows;
  }
  return rows > 0 ? loss_sum / static_cast<double>(rows) : kNotComputed;
}

Evaluation NodeClassificationTask::evaluate(Index, Rng& rng, bool include_train) {
  std::vector<IndexArray32> sets{split_.val, split_.test};
  if (include_train) sets.push_back(split_.train);
  const std::vector<Tensor> logits = source_->predict(sets, rng);
  Evaluation out;
  SetScores* scores[] = {&out.val, &out.test, &out.train};
  for (std::size_t s = 0; s < sets.size(); ++s) {
    if (sets[s].empty()) continue;
    const Tensor host = logits[s].to(Device::Cpu);  // metrics are computed on the host
    scores[s]->loss = mean_cross_entropy(host, split_.labels, sets[s]);
    scores[s]->metric = metric_of(metric_, host, split_.labels, sets[s]);
  }
  return out;
}

}  // namespace moegnn::training
