// SPDX-License-Identifier: Apache-2.0
// Graph classification: mini-batch steps over the training graphs and scores of the evaluation
// sets.
#include "models/training/graph_task.h"

#include <cmath>
#include <span>

#include "core/error.h"
#include "core/ops/loss.h"
#include "core/ops/reduce.h"
#include "models/training/metrics_ogb.h"

namespace moegnn::training {
namespace {

IndexArray32 labels_of(const IndexArray32& labels, std::span<const graph::NodeId> ids) {
  IndexArray32 y(static_cast<Index>(ids.size()));
  for (std::size_t i = 0; i < ids.size(); ++i) y.data()[i] = labels[ids[i]];
  return y;
}

void check_ids(const std::vector<graph::NodeId>& set, Index num_graphs, const char* name) {
  for (std::size_t i = 0; i < set.size(); ++i)
    MOEGNN_CHECK_AS(InvalidArgument, "GraphClassificationTask", set[i] >= 0 && set[i] < num_graphs,
                    name, "[", i, "] = ", set[i], " vs a graph id in [0, ", num_graphs, ")");
}

// Mean cross-entropy (double) of logits rows against y.
double mean_cross_entropy(const Tensor& logits, const IndexArray32& y) {
  const auto l = logits.host();
  double sum = 0.0;
  for (Index i = 0; i < l.rows(); ++i) {
    const double max = l.row(i).maxCoeff();
    double z = 0.0;
    for (Index c = 0; c < l.cols(); ++c) z += std::exp(static_cast<double>(l(i, c)) - max);
    sum += max + std::log(z) - static_cast<double>(l(i, y[i]));
  }
  return sum / static_cast<double>(l.rows());
}

}  // namespace

GraphClassificationTask::GraphClassificationTask(models::GraphModel& model,
                                                 graph::GraphBatch graphs, GraphSplit split,
                                                 GraphTaskOptions options)
    : model_(model),
      graphs_(std::move(graphs)),
      split_(std::move(split)),
      options_(options) {
  const char* who = "GraphClassificationTask";
  graph::check_graph_batch(graphs_, who);
  MOEGNN_CHECK_AS(InvalidArgument, who, !split_.train.empty(),
                  "the training set is empty vs at least one graph");
  MOEGNN_CHECK_AS(InvalidArgument, who, options_.batch_size >= 1 && options_.eval_batch_size >= 1,
                  "batch sizes ", options_.batch_size, ", ", options_.eval_batch_size, " vs >= 1");
  const Index n = graphs_.num_graphs();
  MOEGNN_CHECK_AS(InvalidArgument, who, split_.labels.size() == n, "labels have ",
                  split_.labels.size(), " entries vs ", n, " graphs");
  for (Index g = 0; g < n; ++g)
    MOEGNN_CHECK_AS(InvalidArgument, who,
                    split_.labels[g] >= 0 && split_.labels[g] < model_.out_channels(), "labels[", g,
                    "] = ", split_.labels[g], " vs a class in [0, ", model_.out_channels(), ")");
  check_ids(split_.train, n, "train");
  check_ids(split_.val, n, "val");
  check_ids(split_.test, n, "test");
}

double GraphClassificationTask::train_epoch(Index, Rng& rng, Stepper* stepper) {
  MOEGNN_CHECK_AS(InvalidArgument, "GraphClassificationTask", stepper != nullptr,
                  "no optimizer step vs the trainer's");
  const auto batches =
      graph::graph_batch_order(split_.train, options_.batch_size, options_.shuffle, rng);
  double loss_sum = 0.0;
  Index rows = 0;
  for (const std::vector<graph::NodeId>& ids : batches) {
    const graph::GraphBatch batch = graph::select_graphs(graphs_, ids);
    const IndexArray32 y = labels_of(split_.labels, ids);
    const float loss = stepper->step(
        [&](Tape& tape) { return ops::cross_entropy(tape, model_.forward(tape, batch, rng), y); });
    loss_sum += static_cast<double>(loss) * static_cast<double>(ids.size());
    rows += static_cast<Index>(ids.size());
  }
  return loss_sum / static_cast<double>(rows);
}

Tensor GraphClassificationTask::predict(std::span<const graph::NodeId> ids, Rng& rng) {
  const bool was_training = model_.training();
  model_.eval();
  Tensor out = Tensor::empty(static_cast<Index>(ids.size()), model_.out_channels());
  const auto step = static_cast<std::size_t>(options_.eval_batch_size);
  for (std::size_t lo = 0; lo < ids.size(); lo += step) {
    const auto part = ids.subspan(lo, std::min(step, ids.size() - lo));
    Tape tape(Tape::Mode::Inference);
    const Tensor logits =
        model_.forward(tape, graph::select_graphs(graphs_, part), rng).value().to(Device::Cpu);
    out.host().middleRows(static_cast<Index>(lo), logits.rows()) = logits.host();
  }
  model_.train(was_training);
  return out;
}

Evaluation GraphClassificationTask::evaluate(Index, Rng& rng, bool include_train) {
  Evaluation out;
  const std::vector<graph::NodeId>* sets[] = {&split_.val, &split_.test, &split_.train};
  SetScores* scores[] = {&out.val, &out.test, &out.train};
  for (int s = 0; s < (include_train ? 3 : 2); ++s) {
    if (sets[s]->empty()) continue;
    const Tensor logits = predict(*sets[s], rng);
    const IndexArray32 y = labels_of(split_.labels, *sets[s]);
    const IndexArray32 predicted = ops::argmax_rows(logits);
    scores[s]->loss = mean_cross_entropy(logits, y);
    scores[s]->metric = options_.metric == Metric::Accuracy ? accuracy_score(y, predicted)
                                                            : macro_f1_score(y, predicted);
  }
  return out;
}

}  // namespace moegnn::training
