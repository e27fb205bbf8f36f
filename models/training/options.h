// SPDX-License-Identifier: Apache-2.0
// Inputs of the Trainer: the options for optimisation, model selection, early stopping, logging
// and checkpoints, and for node classification the labelled split, the model's forward callbacks
// (whole graph, or per-layer sampled blocks) and neighbour sampling. The trainer only needs a
// layers::Module (parameters, buffers, train/eval switch) and a task, so any model can be trained.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <utility>

#include "core/index_array.h"
#include "core/ops/nn.h"
#include "core/optim/optimizer.h"
#include "core/optim/schedule.h"
#include "core/rng.h"
#include "core/tape.h"
#include "graph/block.h"
#include "graph/node_split.h"
#include "models/training/history.h"

namespace moegnn::training {

// A node split (graph::NodeSplit, the type dataset readers return) with the labels of every node:
// LabeledSplit{dataset.splits[i], dataset.labels}. Only the labels of the three sets are read.
// Not an aggregate on purpose: {labels, train, val, test} (the old field order) must not compile
// into a silently permuted split through brace elision.
struct LabeledSplit : graph::NodeSplit {
  IndexArray32 labels{};  // num_nodes entries

  LabeledSplit() = default;
  LabeledSplit(graph::NodeSplit split, IndexArray32 node_labels)
      : graph::NodeSplit(std::move(split)), labels(std::move(node_labels)) {}
};

// OGB 'acc' / sklearn macro-F1 of the argmax / ROC-AUC of class 1 (binary labels only).
enum class Metric { Accuracy, MacroF1, RocAuc };
// ValLoss is minimised, ValMetric maximised. ValLossAndMetric is the rule of GAT's reference code
// (Veličković et al., 2018): an epoch is a new best (model selection) when its validation metric is
// >= the best so far AND its loss <= the lowest so far; patience restarts when either holds.
enum class Monitor { ValLoss, ValMetric, ValLossAndMetric };
enum class EvalMode { FullGraph, Sampled };

// Logits (num_nodes × num_classes) of the whole graph; honours model.training() (dropout).
using ForwardFn = std::function<Var(Tape& tape, Rng& rng)>;
// Logits of blocks.back()'s destinations (blocks.back().num_dst × num_classes) from x, the input
// features of blocks.front().src_nodes; blocks run input layer first (graph/block.h).
using BlockForwardFn =
    std::function<Var(Tape& tape, const std::vector<graph::Block>& blocks, Var x, Rng& rng)>;

struct EarlyStoppingOptions {
  Index patience = 0;  // stop after this many epochs without improvement; 0 never stops
  Monitor monitor = Monitor::ValLoss;
  double min_delta = 0.0;  // an improvement must beat the best by more than this
};

// Neighbour-sampled mini-batches (GraphSAGE / DGL style). Evaluation runs either on the whole
// graph (every layer over all nodes: exact, no sampling noise) or on sampled blocks per batch.
struct SamplingOptions {
  std::vector<int> fanouts{};  // per layer, input layer first; -1 takes all neighbours
  Index batch_size = 1024;     // training seeds per step
  bool shuffle = true;
  bool drop_last = false;
  EvalMode eval_mode = EvalMode::FullGraph;
  std::vector<int> eval_fanouts{};  // EvalMode::Sampled; empty: the training fanouts
  Index eval_batch_size = 4096;
};

struct TrainOptions {
  Index epochs = 200;
  float lr = 0.01f;             // default optimizer: Adam(lr, weight_decay), torch.optim.Adam's
  // Coupled L2, 5e-4 as in GCN's and GAT's papers and PyG's examples (torch.optim.Adam's own
  // default is 0); moegnn-node-classification's --weight-decay defaults to this value.
  float weight_decay = 5e-4f;
  float clip_grad_norm = 0.0f;  // > 0: optim::clip_grad_norm before every step
  std::uint64_t seed = 1;       // dropout masks, sampling and batch order
  Metric metric = Metric::Accuracy;
  Monitor select_on = Monitor::ValMetric;  // model selection: the epoch kept as "best"
  bool restore_best = true;  // load the best epoch's parameters into the model at the end
  EarlyStoppingOptions early_stopping{};
  bool evaluate_train = true;  // also evaluate the training set each epoch
  // Optional: another optimizer (parameter groups, AdamW, ...) and an lr schedule stepped per
  // epoch.
  std::function<std::unique_ptr<optim::Optimizer>(std::vector<Parameter*>)> make_optimizer{};
  std::function<std::unique_ptr<optim::LrSchedule>(optim::Optimizer&)> make_schedule{};
  std::filesystem::path log_path{};         // JSON lines, one per epoch (models/log.h); empty: none
  bool progress = true;                     // progress bar on stderr when it is a terminal
  std::string progress_label{};             // printed before the bar, e.g. "run 2/10"
  std::filesystem::path checkpoint_path{};  // empty: no checkpoints
  Index checkpoint_every = 1;               // epochs between checkpoints (and always the last)
  bool resume = false;                      // continue from checkpoint_path when that file exists
  // Resuming refuses a checkpoint written with other epochs, lr, weight decay, gradient clipping,
  // metric, selection or early-stopping settings (it names them) unless this is set.
  bool override_hyperparameters = false;
  // Called after each epoch, once its log line and checkpoint are written.
  std::function<void(const EpochRecord&)> on_epoch{};
};

}  // namespace moegnn::training
