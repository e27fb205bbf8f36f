// SPDX-License-Identifier: Apache-2.0
// Neural Sheaf Diffusion models (nsd-diag, nsd-orth, nsd-gen): registry names, graph preparation
// (loops and duplicates removed, made symmetric), whole-model gradients, a seeded end-to-end run
// per variant that learns, and bad input (d < 1, a map family the variant does not learn, edge
// weights outside O(d)-NSD, NaN features) rejected with the argument named.
#include "models/nsd/sheaf_diffusion.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "core/error.h"
#include "graph/builder.h"
#include "models/registry.h"
#include "tests/models/node/node_model_fixtures.h"

namespace moegnn::models {
namespace {

using layers::sheaf::MapFamily;

template <class Options>
Options small_options(Index d = 2) {
  Options o;
  o.in_channels = 3;
  o.out_channels = 2;
  o.d = d;
  o.hidden_channels = 4;
  o.dropout = 0.25f;
  o.input_dropout = 0.1f;
  return o;
}

// What `build` throws, or "" when it does not throw InvalidArgument.
template <class Fn>
std::string error_of(Fn&& build) {
  try {
    build();
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "";
}

TEST(SheafDiffusion, RegisteredUnderTheirNames) {
  Rng rng(1);
  for (const char* name : {"nsd-diag", "nsd-orth", "nsd-gen"}) {
    auto model = make_node_model(name, {{"d", "3"}, {"hidden", "4"}}, {5, 2}, rng);
    ASSERT_NE(model, nullptr);
    EXPECT_EQ(model->origin().name, name);
    EXPECT_EQ(model->num_hops(), 2);
  }
  auto orth = make_node_model("nsd-orth", {{"maps", "cayley"}, {"add-lp", "true"}}, {5, 2}, rng);
  EXPECT_EQ(orth->origin().config.at("maps"), "cayley");
  EXPECT_EQ(orth->origin().config.at("edge-weights"), "true");  // O(d)-NSD's default
}

TEST(SheafDiffusion, SheafDecaySplitsTheLearnersIntoTheirOwnGroup) {
  Rng rng(1);
  auto plain = make_node_model("nsd-orth", {{"hidden", "4"}}, {5, 2}, rng);
  const auto one = plain->parameter_groups(0.01f, 5e-4f);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].params.size(), plain->parameters().size());
  EXPECT_FLOAT_EQ(one[0].weight_decay, 5e-4f);

  auto model = make_node_model("nsd-orth", {{"hidden", "4"}, {"sheaf-decay", "0.002"}}, {5, 2}, rng);
  const auto groups = model->parameter_groups(0.01f, 5e-4f);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].params.size() + groups[1].params.size(), model->parameters().size());
  EXPECT_FLOAT_EQ(groups[0].weight_decay, 5e-4f);
  EXPECT_FLOAT_EQ(groups[1].weight_decay, 0.002f);
  EXPECT_FLOAT_EQ(groups[1].lr, 0.01f);
  ASSERT_FALSE(groups[1].params.empty());
  for (const Parameter* p : groups[1].params)
    EXPECT_NE(p->name.find("sheaf_learner."), std::string::npos) << p->name;
  bool edge_weights_in_rest = false;  // as the reference: only the sheaf learners get sheaf-decay
  for (const Parameter* p : groups[0].params) {
    EXPECT_EQ(p->name.find("sheaf_learner."), std::string::npos) << p->name;
    edge_weights_in_rest |= p->name.find("weight_learner.") != std::string::npos;
  }
  EXPECT_TRUE(edge_weights_in_rest);
  EXPECT_NE(error_of([&] {
              make_node_model("nsd-diag", {{"sheaf-decay", "-2"}}, {5, 2}, rng);
            }).find("sheaf-decay"),
            std::string::npos);
}

TEST(SheafDiffusion, PrepareRemovesLoopsAndDuplicatesAndSymmetrises) {
  // 0 → 1 twice, a loop at 2, 1 → 2 one way.
  const graph::Csr raw = graph::from_coo(std::vector<std::int32_t>{0, 0, 2, 1},
                                         std::vector<std::int32_t>{1, 1, 2, 2}, {},
                                         {.num_nodes = 3, .duplicates = graph::Duplicates::Keep});
  ASSERT_EQ(raw.num_edges(), 4);
  Rng rng(1);
  DiagNsd model(small_options<DiagNsd::Options>(), rng);
  const PreparedGraph prepared = model.prepare(raw);
  const graph::Csr& g = prepared.csr();
  EXPECT_EQ(g.num_edges(), 4);  // {0,1} and {1,2}, both directions
  for (Index u = 0; u < 3; ++u)
    for (const graph::NodeId v : g.neighbors(u)) EXPECT_NE(v, u);
  EXPECT_EQ(g.degree(1), 2);
}

template <class Model>
void expect_gradients(typename Model::Options o) {
  Rng rng(4);
  Model model(o, rng);
  const PreparedGraph g = model.prepare(test::small_graph());
  EXPECT_TRUE(test::model_gradients_match(model, g, 3, 3, 1e-2f, 3e-3f, 4e-2f));
}

TEST(SheafDiffusion, GradientsMatchFiniteDifferences) {
  auto diag = small_options<DiagNsd::Options>();
  diag.add_lp = true;
  diag.add_hp = true;
  expect_gradients<DiagNsd>(diag);
  auto orth = small_options<OrthNsd::Options>(3);
  orth.second_linear = true;
  expect_gradients<OrthNsd>(orth);
  expect_gradients<GenNsd>(small_options<GenNsd::Options>());
}

template <class Model>
void expect_learns(typename Model::Options o) {
  const datasets::NodeDataset d = test::model_csbm();
  o.in_channels = 8;
  o.out_channels = 3;
  o.hidden_channels = 8;
  o.dropout = 0.0f;
  o.input_dropout = 0.0f;
  Rng rng(3);
  Model model(o, rng);
  const training::FitResult result = test::train_on(model, d, 60);
  test::expect_learns(result, 0.7f, 0.3);  // chance is 1/3
}

TEST(SheafDiffusion, EachVariantLearnsSmallCsbm) {
  expect_learns<DiagNsd>(small_options<DiagNsd::Options>());
  expect_learns<OrthNsd>(small_options<OrthNsd::Options>());
  expect_learns<GenNsd>(small_options<GenNsd::Options>());
}

TEST(SheafDiffusion, RejectsBadOptionsNamingTheArgument) {
  Rng rng(1);
  EXPECT_NE(error_of([&] { DiagNsd(small_options<DiagNsd::Options>(0), rng); }).find("d: 0"),
            std::string::npos);
  EXPECT_NE(error_of([&] { OrthNsd(small_options<OrthNsd::Options>(1), rng); }).find("d: 1"),
            std::string::npos);
  auto diag_orth = small_options<DiagNsd::Options>();
  diag_orth.maps = MapFamily::Householder;
  EXPECT_NE(error_of([&] { DiagNsd(diag_orth, rng); }).find("maps: householder"), std::string::npos);
  auto orth_general = small_options<OrthNsd::Options>();
  orth_general.maps = MapFamily::General;
  EXPECT_NE(error_of([&] { OrthNsd(orth_general, rng); }).find("maps: general"), std::string::npos);
  auto diag_weights = small_options<DiagNsd::Options>();
  diag_weights.edge_weights = true;
  EXPECT_NE(error_of([&] { DiagNsd(diag_weights, rng); }).find("edge-weights"), std::string::npos);
  auto gen_weights = small_options<GenNsd::Options>();
  gen_weights.edge_weights = true;
  EXPECT_NE(error_of([&] { GenNsd(gen_weights, rng); }).find("edge-weights"), std::string::npos);
  // Through the registry (the apps' path): the key is named.
  EXPECT_NE(error_of([&] { make_node_model("nsd-diag", {{"d", "0"}}, {5, 2}, rng); }).find("d"),
            std::string::npos);
  EXPECT_NE(error_of([&] { make_node_model("nsd-gen", {{"maps", "cayley"}}, {5, 2}, rng); })
                .find("maps: cayley"),
            std::string::npos);
}

TEST(SheafDiffusion, RejectsNonFiniteFeatures) {
  Rng rng(1);
  DiagNsd model(small_options<DiagNsd::Options>(), rng);
  const PreparedGraph g = model.prepare(test::small_graph());
  Tensor x = Tensor::zeros(3, 3);
  x.data()[4] = std::numeric_limits<float>::quiet_NaN();
  Tape tape;
  const std::string message = error_of([&] { model.forward(tape, g, tape.constant(x), rng); });
  EXPECT_NE(message.find("x: non-finite value nan at row 1, column 1"), std::string::npos) << message;
}

}  // namespace
}  // namespace moegnn::models
