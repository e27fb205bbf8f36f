// SPDX-License-Identifier: Apache-2.0
// GMoPE pretraining and fine-tuning on generated graphs: pretraining over sources of different
// feature widths (through the alignment) lowers its loss and repeats bit for bit; a checkpoint
// round-trips and one with another expert count or width is refused naming both; prompt-only
// fine-tuning leaves experts and router bit for bit unchanged; a target of another feature width
// goes through the alignment; every arm and task runs.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/error.h"
#include "datasets/csbm.h"
#include "datasets/graph_dataset.h"
#include "models/gmope/finetune.h"
#include "models/gmope/gmope_io.h"
#include "models/gmope/pretrain.h"
#include "models/link/link_split.h"

namespace moegnn::models {
namespace {

namespace fs = std::filesystem;

GmopeOptions tiny() {
  GmopeOptions o;
  o.in_channels = 8;
  o.prompt_channels = 4;
  o.hidden_channels = 16;
  o.num_experts = 3;
  o.router_hidden = 8;
  return o;
}

datasets::NodeDataset source(Index features, std::uint64_t seed) {
  return datasets::csbm({.num_nodes = 120,
                         .num_classes = 3,
                         .num_features = features,
                         .avg_degree = 6,
                         .seed = seed});
}

PretrainSource pretrain_source(const datasets::NodeDataset& d, Index d0) {
  return {d.name, d.graph,
          make_gmope_graph(d.graph, align_features(d.features, {.d0 = d0}), RouterInput::Both)};
}

NodeTarget node_target(const datasets::NodeDataset& d, Index d0) {
  return {make_gmope_graph(d.graph, align_features(d.features, {.d0 = d0}), RouterInput::Both),
          d.labels,
          d.num_classes,
          d.train,
          d.val,
          d.test};
}

std::vector<PretrainSource> sources(Index d0) {
  return {pretrain_source(source(7, 1), d0), pretrain_source(source(20, 2), d0)};
}

fs::path temp_file(const char* name) {
  return fs::temp_directory_path() /
         (std::string(name) + std::to_string(::getpid()) + ".safetensors");
}

TEST(GmopePretrain, LowersLossAndRepeats) {
  std::vector<double> losses[2];
  std::vector<Tensor> weights[2];
  for (int run = 0; run < 2; ++run) {
    Rng init(3);
    Gmope model(tiny(), init);
    const PretrainResult r =
        pretrain(model, sources(8), {.epochs = 15, .lr = 0.01f, .contrast_nodes = 64, .seed = 4});
    losses[run] = r.epoch_loss;
    for (Parameter* p : model.parameters()) weights[run].push_back(p->value.clone());
    ASSERT_EQ(r.usage_entropy.size(), 2U);
    EXPECT_GE(r.usage_entropy[0], 0.0);
    EXPECT_LE(r.usage_entropy[0], 1.0 + 1e-9);
  }
  EXPECT_LT(losses[0].back(), losses[0].front());
  EXPECT_EQ(losses[0], losses[1]);
  for (std::size_t i = 0; i < weights[0].size(); ++i)
    EXPECT_TRUE(weights[0][i].host() == weights[1][i].host()) << i;
  Rng init(3);
  Gmope model(tiny(), init);
  EXPECT_THROW(pretrain(model, {}, {}), InvalidArgument);
  PretrainSource wrong = pretrain_source(source(7, 1), 5);
  EXPECT_THROW(pretrain(model, {wrong}, {}), InvalidArgument);
}

TEST(GmopeCheckpoint, RoundTripAndShapeMismatchNamesBoth) {
  const fs::path path = temp_file("gmope_ckpt");
  Rng init(1);
  Gmope saved(tiny(), init);
  save_gmope(path, saved, {{"gmope.sources", "a,b"}});
  Rng other(9);
  auto loaded = load_gmope(path, {{"feature-prompt", "gpf"}, {"dropout", "0.5"}}, other);
  EXPECT_EQ(loaded->options().feature_prompt, FeaturePrompt::Gpf);
  const auto a = saved.parameters(), b = loaded->parameters();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(a[i]->value.host() == b[i]->value.host());
  for (auto [key, value] : {std::pair{"experts", "2"}, std::pair{"hidden", "12"}}) {
    GmopeOptions o = tiny();
    o = read_options<GmopeOptions>({{key, value}}, "gmope", o);
    Rng r(2);
    Gmope wrong(o, r);
    const Tensor before = wrong.parameters()[0]->value.clone();
    try {
      load_gmope_into(path, wrong);
      ADD_FAILURE() << "loaded a checkpoint of another shape (" << key << ")";
    } catch (const InvalidArgument& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find("3 experts of width 16"), std::string::npos) << m;
      const std::string mine =
          o.num_experts == 2 ? "2 experts of width 16" : "3 experts of width 12";
      EXPECT_NE(m.find(mine), std::string::npos) << m;
    }
    EXPECT_TRUE(wrong.parameters()[0]->value.host() == before.host());
  }
  Rng r(3);
  EXPECT_THROW(load_gmope(path, {{"experts", "5"}}, r), InvalidArgument);
  fs::remove(path);
}

TEST(GmopeFinetune, PromptOnlyLeavesExpertsAndRouterBitForBit) {
  Rng init(1);
  Gmope model(tiny(), init);
  pretrain(model, sources(8), {.epochs = 3, .contrast_nodes = 32});
  std::vector<Tensor> frozen;
  for (Parameter* p : model.parameters_of(Gmope::Experts | Gmope::Router))
    frozen.push_back(p->value.clone());
  std::vector<Tensor> prompts;
  for (Parameter* p : model.parameters_of(Gmope::Prompts)) prompts.push_back(p->value.clone());
  // A target of another feature width (11) enters through the alignment.
  const datasets::NodeDataset d = source(11, 7);
  const FinetuneResult r = finetune_node(
      model, node_target(d, 8),
      {.mode = FinetuneMode::PromptOnly, .epochs = 20, .weight_decay = 5e-4f, .patience = 0});
  std::size_t i = 0;
  for (Parameter* p : model.parameters_of(Gmope::Experts | Gmope::Router))
    EXPECT_TRUE(p->value.host() == frozen[i++].host()) << p->name;
  bool moved = false;
  i = 0;
  for (Parameter* p : model.parameters_of(Gmope::Prompts))
    moved = moved || !(p->value.host() == prompts[i++].host());
  EXPECT_TRUE(moved);
  // Trainable: M prompts of d_p and the linear head (16 × 3 + 3).
  EXPECT_EQ(r.trainable_parameters, 3 * 4 + 16 * 3 + 3);
  EXPECT_GT(r.val, 0.0);
  // Unaligned features are refused with the remedy named.
  NodeTarget raw = node_target(d, 8);
  raw.graph.x = d.features;
  try {
    finetune_node(model, raw, {});
    ADD_FAILURE() << "accepted 11 feature columns for d0 = 8";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("align"), std::string::npos) << e.what();
  }
}

TEST(GmopeFinetune, EveryArmOnNodeLinkAndGraphTargets) {
  const datasets::NodeDataset d = source(9, 5);
  const NodeTarget node = node_target(d, 8);
  const LinkSets sets = random_link_split(d.graph, 0.1, 0.2, 3);
  LinkTarget link{
      make_gmope_graph(sets.train_graph, align_features(d.features, {.d0 = 8}), RouterInput::Both),
      sets.train_graph,
      sets.train_pos,
      sets.val_pos,
      sets.val_neg,
      sets.test_pos,
      sets.test_neg};
  const datasets::GraphDataset gd = datasets::random_graph_dataset({.num_graphs = 40, .seed = 2});
  std::vector<std::int32_t> tr, va, te;
  for (Index g = 0; g < 40; ++g)
    (g % 5 == 0 ? va : g % 5 == 1 ? te : tr).push_back(static_cast<std::int32_t>(g));
  GraphTarget graph{make_gmope_graph(gd.graphs.graph, align_features(gd.graphs.x, {.d0 = 8}),
                                     RouterInput::Both, gd.graphs.ptr, gd.graphs.batch),
                    gd.labels,
                    gd.num_classes,
                    IndexArray32(tr),
                    IndexArray32(va),
                    IndexArray32(te)};
  for (const auto& [name, mode] : kFinetuneModes) {
    GmopeOptions o = tiny();
    o.feature_prompt = feature_prompt_of(mode);
    const FinetuneOptions f{.mode = mode, .epochs = 5, .patience = 0};
    for (int task = 0; task < 3; ++task) {
      Rng init(1);
      Gmope model(o, init);
      const FinetuneResult r = task == 0   ? finetune_node(model, node, f)
                               : task == 1 ? finetune_link(model, link, f)
                                           : finetune_graph(model, graph, f);
      EXPECT_GE(r.best_epoch, 1) << name << " " << task;
      EXPECT_GT(r.trainable_parameters, 0) << name;
      EXPECT_GE(r.test, 0.0);
      EXPECT_LE(r.test, 1.0);
    }
  }
  // A GPF arm on a model built without the feature prompt is refused.
  Rng init(1);
  Gmope plain(tiny(), init);
  EXPECT_THROW(finetune_node(plain, node, {.mode = FinetuneMode::Gpf}), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::models
