// SPDX-License-Identifier: Apache-2.0
// Model registry and the NodeModel interface: every name builds the model it names with the
// options it is given, prepares its graph and runs through the interface; unknown names throw.
#include <gtest/gtest.h>

#include <memory>

#include "core/error.h"
#include "graph/normalize.h"
#include "models/gat.h"
#include "models/gcn.h"
#include "models/gin.h"
#include "models/mlp.h"
#include "models/registry.h"
#include "models/sage.h"
#include "tests/layers/conv_fixtures.h"
#include "tests/support/gradcheck.h"

namespace moegnn::models {
namespace {

const NodeModelOptions kOptions{.in_channels = 5,
                                .hidden_channels = 4,
                                .out_channels = 3,
                                .num_layers = 3,
                                .dropout = 0.1f,
                                .batch_norm = true,
                                .aggr = ops::Reduce::Sum,
                                .heads = 2,
                                .output_heads = 2,
                                .attention_dropout = 0.2f,
                                .train_eps = true};

TEST(Registry, ListsTheBaselines) {
  std::vector<std::string> names = node_model_names();
  ASSERT_GE(names.size(), 5u);  // RegistersANewModel may have added one in this process
  names.resize(5);
  EXPECT_EQ(names, (std::vector<std::string>{"mlp", "gcn", "sage", "gat", "gin"}));
}

TEST(Registry, BuildsEachModelWithItsOptions) {
  Rng rng(1);
  const auto mlp = make_node_model("mlp", kOptions, rng);
  const auto* m = dynamic_cast<Mlp*>(mlp.get());
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->options().num_layers, 3);
  EXPECT_TRUE(m->options().batch_norm);

  const auto gcn = make_node_model("gcn", kOptions, rng);
  const auto* g = dynamic_cast<Gcn*>(gcn.get());
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->options().hidden_channels, 4);
  EXPECT_FLOAT_EQ(g->options().dropout, 0.1f);

  const auto sage = make_node_model("sage", kOptions, rng);
  const auto* s = dynamic_cast<Sage*>(sage.get());
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->options().aggr, ops::Reduce::Sum);

  const auto gat = make_node_model("gat", kOptions, rng);
  const auto* a = dynamic_cast<Gat*>(gat.get());
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->options().heads, 2);
  EXPECT_EQ(a->options().output_heads, 2);
  EXPECT_FLOAT_EQ(a->options().attention_dropout, 0.2f);

  const auto gin = make_node_model("gin", kOptions, rng);
  const auto* n = dynamic_cast<Gin*>(gin.get());
  ASSERT_NE(n, nullptr);
  EXPECT_TRUE(n->options().train_eps);
  EXPECT_EQ(n->options().out_channels, 3);
}

TEST(Registry, GcnPreparesTheNormalisedAdjacency) {
  Rng rng(1);
  const auto gcn = make_node_model("gcn", kOptions, rng);
  const graph::Csr raw = test::small_graph();
  const graph::Csr prepared = gcn->prepare(raw);
  const graph::Csr expected = graph::gcn_norm(raw);
  EXPECT_EQ(prepared.col_idx().to_vector(), expected.col_idx().to_vector());
  EXPECT_TRUE(support::all_close(prepared.values(), expected.values()));
}

TEST(Registry, EveryModelRunsThroughTheInterface) {
  const graph::Csr raw = test::random_graph(10, 0.3, 2);
  const Tensor x = support::random_tensor(10, 5, 3);
  for (const std::string& name : node_model_names()) {
    Rng rng(4);
    std::unique_ptr<NodeModel> model = make_node_model(name, kOptions, rng);
    const graph::Csr g = model->prepare(raw);
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

TEST(Registry, RejectsUnknownNamesAndBadOptions) {
  Rng rng(1);
  test::expect_error<InvalidArgument>([&] { make_node_model("gcnn", kOptions, rng); },
                                      "make_node_model");
  NodeModelOptions bad = kOptions;
  bad.in_channels = 0;
  for (const std::string& name : node_model_names())
    EXPECT_THROW(make_node_model(name, bad, rng), InvalidArgument) << name;
}

TEST(Registry, RegistersANewModel) {
  // A later model (e.g. Mowst) is one entry; here an Mlp builder under a new name.
  int built = 0;
  register_node_model({"test-mlp", "an Mlp under another name",
                       [&built](const NodeModelOptions& o, Rng& rng) {
                         ++built;
                         return std::make_unique<Mlp>(
                             MlpOptions{.in_channels = o.in_channels,
                                        .hidden_channels = o.hidden_channels,
                                        .out_channels = o.out_channels},
                             rng);
                       }});
  Rng rng(1);
  const auto model = make_node_model("test-mlp", kOptions, rng);
  EXPECT_EQ(built, 1);
  EXPECT_NE(dynamic_cast<Mlp*>(model.get()), nullptr);
  EXPECT_EQ(node_model_names().back(), "test-mlp");
  test::expect_error<InvalidArgument>(
      [&] { register_node_model({"gcn", "again", node_model_entries()[1].build}); },
      "register_node_model");
  test::expect_error<InvalidArgument>([&] { register_node_model({"empty", "", {}}); },
                                      "register_node_model");
}

}  // namespace
}  // namespace moegnn::models
