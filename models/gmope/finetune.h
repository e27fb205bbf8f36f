// SPDX-License-Identifier: Apache-2.0
// Fine-tuning a (pretrained) GMoPE model on a target: node classification, link prediction or
// graph classification, in one of the transfer arms of issue 20:
//   scratch        every part, from a fresh initialisation (the caller passes an untrained model)
//   full           every part of the pretrained model
//   prompt-only    the expert prompts and the task head; experts and router frozen (bit for bit)
//   prompt-router  prompts, router and head
//   gpf, gpf-plus  the feature prompt (GPF / GPF-plus) and the head on the frozen pretrained model
// Heads: node, a linear classifier on the mixed embeddings; graph, mean pooling then a linear
// classifier; link, a linear map then dot-product scores (ROC-AUC). Full-batch Adam steps; the
// epoch with the best validation metric is kept (first on ties), with optional patience.
#pragma once

#include <vector>

#include "core/index_array.h"
#include "graph/edge_list.h"
#include "models/gmope/gmope.h"

namespace moegnn::models {

enum class FinetuneMode { Scratch, Full, PromptOnly, PromptRouter, Gpf, GpfPlus };
inline constexpr std::array<std::pair<std::string_view, FinetuneMode>, 6> kFinetuneModes{
    {{"scratch", FinetuneMode::Scratch},
     {"full", FinetuneMode::Full},
     {"prompt-only", FinetuneMode::PromptOnly},
     {"prompt-router", FinetuneMode::PromptRouter},
     {"gpf", FinetuneMode::Gpf},
     {"gpf-plus", FinetuneMode::GpfPlus}}};
const char* to_string(FinetuneMode mode);
// The Gmope::Part flags a mode trains.
unsigned trainable_parts(FinetuneMode mode);
// The feature prompt a mode needs the model built with.
FeaturePrompt feature_prompt_of(FinetuneMode mode);

struct FinetuneOptions {
  FinetuneMode mode = FinetuneMode::PromptOnly;
  Index epochs = 200;
  float lr = 0.01f;
  float weight_decay = 5e-4f;
  Index patience = 50;       // epochs without a better validation metric (0: never stop)
  float orth_weight = 0.0f;  // λ_orth during fine-tuning
  float head_dropout = 0.0f;
  std::uint64_t seed = 1;
};

struct FinetuneResult {
  double val = 0.0;   // validation metric of the kept epoch
  double test = 0.0;  // its test metric
  Index best_epoch = 0;
  Index epochs_run = 0;
  double epoch_seconds = 0.0;  // mean wall time of a training step (forward, backward, update)
  Index trainable_parameters = 0;
  double usage_entropy = 0.0;  // of the kept model on the target graph
  std::string metric;          // "acc" or "auc"
};

struct NodeTarget {
  GmopeGraph graph;
  IndexArray32 labels;
  Index num_classes = 0;
  IndexArray32 train, val, test;
};

struct LinkTarget {
  GmopeGraph graph;      // built on the training positives' graph
  graph::Csr train_raw;  // that graph (negatives are drawn against it)
  graph::EdgeList train_pos, val_pos, val_neg, test_pos, test_neg;
};

struct GraphTarget {
  GmopeGraph graphs;    // block-diagonal batch of every graph
  IndexArray32 labels;  // one per graph
  Index num_classes = 0;
  IndexArray32 train, val, test;  // graph ids
};

// Each throws InvalidArgument for an empty training set, labels or ids out of range, features not
// d0 wide, or bad options; the model's trainable parts are set from options.mode.
FinetuneResult finetune_node(Gmope& model, const NodeTarget& target,
                             const FinetuneOptions& options);
FinetuneResult finetune_link(Gmope& model, const LinkTarget& target,
                             const FinetuneOptions& options);
FinetuneResult finetune_graph(Gmope& model, const GraphTarget& target,
                              const FinetuneOptions& options);

}  // namespace moegnn::models
