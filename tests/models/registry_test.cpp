// SPDX-License-Identifier: Apache-2.0
// Model registry and the NodeModel interface: every name builds the model it names with the
// options it is given, prepares its graph and runs through the interface; unknown names throw.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <type_traits>

#include "core/error.h"
#include "graph/normalize.h"
#include "models/node/gat.h"
#include "models/node/gcn.h"
#include "models/node/gin.h"
#include "models/node/mlp.h"
#include "models/registry.h"
#include "models/node/sage.h"
#include "tests/layers/conv_fixtures.h"
#include "tests/support/gradcheck.h"

namespace moegnn::models {
namespace {

// Every model's keys at once; each model takes its share (known_options), as a mixture's experts do.
const ModelConfig kConfig{{"hidden", "4"},        {"layers", "3"},       {"dropout", "0.1"},
                          {"norm", "batch"},      {"aggr", "sum"},       {"heads", "2"},
                          {"output-heads", "2"},  {"attention-dropout", "0.2"},
                          {"train-eps", "true"}};
constexpr NodeModelShape kShape{5, 3};

// f throws InvalidArgument whose message contains every part.
template <typename... Parts>
void expect_invalid(const std::function<void()>& f, const Parts&... parts) {
  try {
    f();
    ADD_FAILURE() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    for (const std::string& part : {std::string(parts)...})
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what() << " / " << part;
  }
}

std::unique_ptr<NodeModel> build(const std::string& name, Rng& rng,
                                 const ModelConfig& config = kConfig) {
  return make_node_model(name, known_options(name, config), kShape, rng);
}

TEST(Registry, ListsTheBaselines) {
  std::vector<std::string> names = node_model_names();
  ASSERT_GE(names.size(), 5u);  // RegistersANewModel may have added one in this process
  names.resize(5);
  EXPECT_EQ(names, (std::vector<std::string>{"mlp", "gcn", "sage", "gat", "gin"}));
}

TEST(Registry, BuildsEachModelWithItsOptions) {
  Rng rng(1);
  const auto mlp = build("mlp", rng);
  const auto* m = dynamic_cast<Mlp*>(mlp.get());
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->options().num_layers, 3);
  EXPECT_TRUE(m->options().batch_norm);
  EXPECT_EQ(m->num_hops(), 0);

  const auto gcn = build("gcn", rng);
  const auto* g = dynamic_cast<Gcn*>(gcn.get());
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->options().hidden_channels, 4);
  EXPECT_FLOAT_EQ(g->options().dropout, 0.1f);
  EXPECT_EQ(g->options().in_channels, 5);
  EXPECT_EQ(gcn->num_hops(), 3);

  const auto sage = build("sage", rng);
  const auto* s = dynamic_cast<Sage*>(sage.get());
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->options().aggr, ops::Reduce::Sum);

  const auto gat = build("gat", rng);
  const auto* a = dynamic_cast<Gat*>(gat.get());
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->options().heads, 2);
  EXPECT_EQ(a->options().output_heads, 2);
  EXPECT_FLOAT_EQ(a->options().attention_dropout, 0.2f);

  const auto gin = build("gin", rng);
  const auto* n = dynamic_cast<Gin*>(gin.get());
  ASSERT_NE(n, nullptr);
  EXPECT_TRUE(n->options().train_eps);
  EXPECT_EQ(n->options().out_channels, 3);
}

TEST(Registry, MissingKeysKeepTheModelsDefaults) {
  Rng rng(1);
  const auto gat = make_node_model("gat", {}, kShape, rng);
  const auto* a = dynamic_cast<Gat*>(gat.get());
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->options().hidden_channels, GatOptions{}.hidden_channels);
  EXPECT_EQ(a->options().heads, GatOptions{}.heads);
}

TEST(Registry, GcnPreparesTheNormalisedAdjacency) {
  Rng rng(1);
  const auto gcn = build("gcn", rng);
  const graph::Csr raw = test::small_graph();
  const models::PreparedGraph prepared = gcn->prepare(raw);
  const graph::Csr expected = graph::gcn_norm(raw);
  EXPECT_EQ(prepared.csr().col_idx().to_vector(), expected.col_idx().to_vector());
  EXPECT_TRUE(support::all_close(prepared.csr().values(), expected.values()));
}

TEST(Registry, EveryModelRunsThroughTheInterface) {
  const graph::Csr raw = test::random_graph(10, 0.3, 2);
  const Tensor x = support::random_tensor(10, 5, 3);
  for (const std::string& name : node_model_names()) {
    Rng rng(4);
    std::unique_ptr<NodeModel> model = build(name, rng);
    const models::PreparedGraph g = model->prepare(raw);
    Tape tape;
    const Var logits = model->forward(tape, g, tape.constant(x), rng);
    EXPECT_EQ(logits.rows(), 10) << name;
    EXPECT_EQ(logits.cols(), 3) << name;
    model->eval();
    Tape eval(Tape::Mode::Inference);
    Rng r1(7);
    Rng r2(8);
    // Evaluation mode draws no masks: any Rng gives the same logits.
    EXPECT_TRUE(support::all_close(model->forward(eval, g, eval.constant(x), r1).value(),
                                   model->forward(eval, g, eval.constant(x), r2).value()))
        << name;
  }
}

// The raw graph cannot be passed where a prepared one is required (it does not compile), and a
// graph another model prepared is refused at the first forward: both would otherwise run and
// give plausible but wrong logits (GCN on a raw graph: off by up to 75 on Cora).
static_assert(!std::is_constructible_v<PreparedGraph, graph::Csr>);
static_assert(!std::is_convertible_v<graph::Csr, PreparedGraph>);
static_assert(!std::is_invocable_v<decltype(&NodeModel::forward), NodeModel&, Tape&,
                                   const graph::Csr&, Var, Rng&>);

TEST(Registry, ForwardRefusesAGraphAnotherModelPrepared) {
  Rng rng(1);
  const auto gcn = build("gcn", rng);
  const auto sage = build("sage", rng);
  const graph::Csr raw = test::random_graph(10, 0.3, 2);
  const Tensor x = support::random_tensor(10, 5, 3);
  Tape tape;
  expect_invalid([&] { sage->forward(tape, gcn->prepare(raw), tape.constant(x), rng); },
                 "Sage::forward: the graph was prepared by Gcn vs by Sage");
  expect_invalid([&] { gcn->forward(tape, PreparedGraph(), tape.constant(x), rng); },
                 "prepared by no model");
  EXPECT_EQ(gcn->forward(tape, gcn->prepare(raw), tape.constant(x), rng).rows(), 10);
}

TEST(Registry, RejectsUnknownNamesKeysAndBadValues) {
  Rng rng(1);
  expect_invalid([&] { make_node_model("gcnn", {}, kShape, rng); },
                                      "make_node_model: unknown model 'gcnn'",
                                      "did you mean 'gcn'?");
  expect_invalid([&] { make_node_model("gcn", {{"heads", "2"}}, kShape, rng); },
                                      "gcn: unknown option 'heads'", "hidden, layers");
  expect_invalid(
      [&] { make_node_model("gcn", {{"hiden", "2"}}, kShape, rng); }, "did you mean 'hidden'?");
  expect_invalid(
      [&] { make_node_model("gcn", {{"layers", "0"}}, kShape, rng); }, "gcn: layers is 0 vs in [1, 1024]");
  expect_invalid(
      [&] { make_node_model("gcn", {{"hidden", "2e9"}}, kShape, rng); }, "gcn: hidden is '2e9' vs an integer");
  expect_invalid(
      [&] { make_node_model("sage", {{"aggr", "meen"}}, kShape, rng); }, "aggr is 'meen' vs one of mean, max, sum",
      "did you mean 'mean'?");
  for (const std::string& name : node_model_names())
    EXPECT_THROW(make_node_model(name, {}, {0, 3}, rng), InvalidArgument) << name;
}

TEST(ModelOptions, WriteThenReadIsTheSameOptions) {
  GatOptions o;
  o.hidden_channels = 16;
  o.heads = 4;
  o.attention_dropout = 0.3f;
  o.layer_norm = true;
  const ModelConfig text = write_options(o);
  EXPECT_EQ(text.at("norm"), "layer");
  EXPECT_EQ(text.at("attention-dropout"), "0.3");
  const GatOptions back = read_options<GatOptions>(text, "gat");
  EXPECT_EQ(back.hidden_channels, 16);
  EXPECT_EQ(back.heads, 4);
  EXPECT_EQ(back.attention_dropout, 0.3f);
  EXPECT_TRUE(back.layer_norm);
  EXPECT_FALSE(back.batch_norm);
}

TEST(ModelOptions, ParsesAndFormatsKeyValueText) {
  const ModelConfig c = parse_model_config(" hidden=64, input_dropout=0.5 ,norm=batch");
  EXPECT_EQ(c, (ModelConfig{{"hidden", "64"}, {"input-dropout", "0.5"}, {"norm", "batch"}}));
  EXPECT_EQ(format_model_config(c), "hidden=64,input-dropout=0.5,norm=batch");
  expect_invalid([] { parse_model_config("hidden"); },
                                      "--model-config: item 'hidden' vs key=value");
  expect_invalid([] { parse_model_config("a=1,a=2"); }, "given twice");
  EXPECT_TRUE(parse_model_config("").empty());
}

TEST(Registry, RegistersANewModel) {
  // A later model is one entry; here an Mlp under a new name, built through the entry helper.
  register_node_model(node_model_entry<Mlp>("test-mlp", "an Mlp under another name"));
  Rng rng(1);
  const auto model = make_node_model("test-mlp", {{"hidden", "7"}}, kShape, rng);
  const auto* m = dynamic_cast<Mlp*>(model.get());
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->options().hidden_channels, 7);
  EXPECT_EQ(node_model_names().back(), "test-mlp");
  expect_invalid(
      [&] { register_node_model(node_model_entry<Gcn>("gcn", "again")); },
      "register_node_model");
  expect_invalid([&] { register_node_model({"empty", "", {}, {}}); },
                                      "register_node_model");
}

}  // namespace
}  // namespace moegnn::models
