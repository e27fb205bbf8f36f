// SPDX-License-Identifier: Apache-2.0
// Fine-tuning loops of the transfer arms: node, link and graph targets.
#include "models/gmope/finetune.h"

#include <chrono>
#include <cmath>
#include <functional>
#include <utility>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/loss.h"
#include "core/ops/nn.h"
#include "core/optim/adam.h"
#include "graph/negative_sampling.h"
#include "layers/linear.h"
#include "layers/pooling.h"
#include "models/gmope/losses.h"
#include "models/gmope/pretrain.h"
#include "models/training/metrics.h"
#include "models/training/metrics_ogb.h"

namespace moegnn::models {
namespace {

struct Hooks {
  std::function<Var(Tape&, Rng&)> loss;                  // training loss of one step
  std::function<std::pair<double, double>(Rng&)> score;  // val, test in evaluation mode
};

void check_options(const FinetuneOptions& o) {
  MOEGNN_CHECK_AS(InvalidArgument, "finetune", o.epochs >= 1 && o.lr > 0 && o.patience >= 0,
                  "epochs ", o.epochs, ", lr ", o.lr, ", patience ", o.patience,
                  " vs >= 1, > 0, >= 0");
  MOEGNN_CHECK_AS(InvalidArgument, "finetune", o.head_dropout >= 0 && o.head_dropout < 1,
                  "head_dropout ", o.head_dropout, " vs [0, 1)");
}

void check_features(const Gmope& model, const GmopeGraph& g, const char* who) {
  MOEGNN_CHECK_AS(InvalidArgument, who, g.x.cols() == model.options().in_channels,
                  "the target has ", g.x.cols(),
                  " feature columns vs d0 = ", model.options().in_channels,
                  "; align them first (align_features)");
}

void check_ids(const IndexArray32& ids, Index bound, const char* who, const char* set) {
  for (Index i = 0; i < ids.size(); ++i)
    MOEGNN_CHECK_AS(InvalidArgument, who, ids[i] >= 0 && ids[i] < bound, set, " id ", ids[i],
                    " at ", i, " vs [0, ", bound, ")");
}

FinetuneResult run(Gmope& model, layers::Module& head, const GmopeGraph& g, const Hooks& hooks,
                   const FinetuneOptions& o, const char* metric) {
  check_options(o);
  MOEGNN_CHECK_AS(InvalidArgument, "finetune",
                  model.options().feature_prompt == feature_prompt_of(o.mode), "mode ",
                  to_string(o.mode), " needs the model built with feature-prompt ",
                  feature_prompt_of(o.mode) == FeaturePrompt::None  ? "none"
                  : feature_prompt_of(o.mode) == FeaturePrompt::Gpf ? "gpf"
                                                                    : "gpf-plus",
                  " vs the model's");
  model.set_trainable(trainable_parts(o.mode));
  std::vector<Parameter*> params = model.parameters_of(model.trainable());
  for (Parameter* p : head.parameters()) params.push_back(p);
  FinetuneResult r;
  r.metric = metric;
  for (Parameter* p : params) r.trainable_parameters += p->value.size();
  optim::Adam adam({{params, o.lr, o.weight_decay}});
  Rng rng(o.seed);
  std::vector<Tensor> best;
  double best_val = -1.0, seconds = 0.0;
  Index since = 0;
  for (Index epoch = 1; epoch <= o.epochs; ++epoch) {
    model.train();
    head.train();
    const auto start = std::chrono::steady_clock::now();
    for (Parameter* p : params) p->zero_grad();
    {
      Tape tape;
      Var loss = hooks.loss(tape, rng);
      if (o.orth_weight > 0)
        loss =
            ops::add(tape, loss, ops::mul_scalar(tape, model.orthogonality(tape), o.orth_weight));
      const float value = loss.value().item();
      MOEGNN_CHECK_AS(InvalidArgument, "finetune", std::isfinite(value), "epoch ", epoch, ": loss ",
                      value, " vs a finite value; lower the learning rate");
      tape.backward(loss);
      adam.step();
    }
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.epochs_run = epoch;
    model.eval();
    head.eval();
    const auto [val, test] = hooks.score(rng);
    if (val > best_val) {
      best_val = val;
      r.val = val;
      r.test = test;
      r.best_epoch = epoch;
      best.clear();
      for (Parameter* p : params) best.push_back(p->value.clone());
      since = 0;
    } else if (o.patience > 0 && ++since >= o.patience) {
      break;
    }
  }
  for (std::size_t i = 0; i < best.size(); ++i) params[i]->value.copy_from(best[i]);
  r.epoch_seconds = seconds / static_cast<double>(r.epochs_run);
  r.usage_entropy = expert_usage_entropy(model, g);
  model.train();
  head.train();
  return r;
}

Index hidden(const Gmope& m) { return m.options().hidden_channels; }

}  // namespace

const char* to_string(FinetuneMode mode) {
  for (const auto& [name, m] : kFinetuneModes)
    if (m == mode) return name.data();
  return "?";
}

unsigned trainable_parts(FinetuneMode mode) {
  switch (mode) {
  case FinetuneMode::Scratch:
  case FinetuneMode::Full:
    return Gmope::Experts | Gmope::Prompts | Gmope::Router;
  case FinetuneMode::PromptOnly:
    return Gmope::Prompts;
  case FinetuneMode::PromptRouter:
    return Gmope::Prompts | Gmope::Router;
  case FinetuneMode::Gpf:
  case FinetuneMode::GpfPlus:
    return Gmope::FeaturePrompts;
  }
  return 0;
}

FeaturePrompt feature_prompt_of(FinetuneMode mode) {
  if (mode == FinetuneMode::Gpf) return FeaturePrompt::Gpf;
  if (mode == FinetuneMode::GpfPlus) return FeaturePrompt::GpfPlus;
  return FeaturePrompt::None;
}

FinetuneResult finetune_node(Gmope& model, const NodeTarget& t, const FinetuneOptions& o) {
  check_features(model, t.graph, "finetune_node");
  const Index n = t.graph.num_nodes();
  MOEGNN_CHECK_AS(InvalidArgument, "finetune_node",
                  t.train.size() > 0 && t.labels.size() == n && t.num_classes >= 2, "train ",
                  t.train.size(), " nodes, ", t.labels.size(), " labels, ", t.num_classes,
                  " classes vs >= 1, ", n, ", >= 2");
  for (const auto* ids : {&t.train, &t.val, &t.test}) check_ids(*ids, n, "finetune_node", "node");
  check_ids(t.labels, t.num_classes, "finetune_node", "label");
  Rng init(o.seed ^ 0x4eadULL);
  layers::Linear head({hidden(model), t.num_classes}, init);
  auto logits = [&](Tape& tape, Rng& rng) {
    const Var h = model.forward(tape, t.graph, rng).h;
    return head.forward(tape, ops::dropout(tape, h, o.head_dropout, rng, head.training()));
  };
  Hooks hooks;
  hooks.loss = [&](Tape& tape, Rng& rng) {
    return ops::cross_entropy(tape, logits(tape, rng), t.labels, t.train);
  };
  hooks.score = [&](Rng& rng) {
    Tape tape(Tape::Mode::Inference);
    const Tensor z = logits(tape, rng).value();
    return std::pair{training::accuracy(z, t.labels, t.val),
                     training::accuracy(z, t.labels, t.test)};
  };
  return run(model, head, t.graph, hooks, o, "acc");
}

FinetuneResult finetune_graph(Gmope& model, const GraphTarget& t, const FinetuneOptions& o) {
  check_features(model, t.graphs, "finetune_graph");
  const Index g = t.graphs.num_graphs();
  MOEGNN_CHECK_AS(InvalidArgument, "finetune_graph",
                  t.train.size() > 0 && t.labels.size() == g && t.num_classes >= 2, "train ",
                  t.train.size(), " graphs, ", t.labels.size(), " labels, ", t.num_classes,
                  " classes vs >= 1, ", g, ", >= 2");
  for (const auto* ids : {&t.train, &t.val, &t.test}) check_ids(*ids, g, "finetune_graph", "graph");
  check_ids(t.labels, t.num_classes, "finetune_graph", "label");
  Rng init(o.seed ^ 0x4eadULL);
  layers::Linear head({hidden(model), t.num_classes}, init);
  auto logits = [&](Tape& tape, Rng& rng) {
    const Var h = model.forward(tape, t.graphs, rng).h;
    const Var pooled = layers::global_mean_pool(tape, t.graphs.ptr, h);
    return head.forward(tape, ops::dropout(tape, pooled, o.head_dropout, rng, head.training()));
  };
  Hooks hooks;
  hooks.loss = [&](Tape& tape, Rng& rng) {
    return ops::cross_entropy(tape, logits(tape, rng), t.labels, t.train);
  };
  hooks.score = [&](Rng& rng) {
    Tape tape(Tape::Mode::Inference);
    const Tensor z = logits(tape, rng).value();
    return std::pair{training::accuracy(z, t.labels, t.val),
                     training::accuracy(z, t.labels, t.test)};
  };
  return run(model, head, t.graphs, hooks, o, "acc");
}

FinetuneResult finetune_link(Gmope& model, const LinkTarget& t, const FinetuneOptions& o) {
  check_features(model, t.graph, "finetune_link");
  MOEGNN_CHECK_AS(InvalidArgument, "finetune_link",
                  t.train_pos.size() > 0 && t.val_pos.size() > 0 && t.test_pos.size() > 0,
                  "train / val / test positives ", t.train_pos.size(), " / ", t.val_pos.size(),
                  " / ", t.test_pos.size(), " vs each >= 1");
  Rng init(o.seed ^ 0x4eadULL);
  layers::Linear head({hidden(model), hidden(model), false}, init);
  auto embed = [&](Tape& tape, Rng& rng) {
    return head.forward(tape, model.forward(tape, t.graph, rng).h);
  };
  auto auc = [](const Tensor& z, const graph::EdgeList& pos, const graph::EdgeList& neg) {
    std::vector<float> s = link_scores(z, pos);
    const std::vector<float> sn = link_scores(z, neg);
    std::vector<float> y(s.size(), 1.0f);
    y.resize(s.size() + sn.size(), 0.0f);
    s.insert(s.end(), sn.begin(), sn.end());
    return training::roc_auc_score(y, s);
  };
  Hooks hooks;
  hooks.loss = [&](Tape& tape, Rng& rng) {
    const graph::EdgeList neg = graph::negative_sampling(t.train_raw, t.train_pos.size(), rng);
    return link_bce(tape, embed(tape, rng), t.train_pos, neg);
  };
  hooks.score = [&](Rng& rng) {
    Tape tape(Tape::Mode::Inference);
    const Tensor z = embed(tape, rng).value();
    return std::pair{auc(z, t.val_pos, t.val_neg), auc(z, t.test_pos, t.test_neg)};
  };
  return run(model, head, t.graph, hooks, o, "auc");
}

}  // namespace moegnn::models
