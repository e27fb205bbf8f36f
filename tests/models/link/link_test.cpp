// SPDX-License-Identifier: Apache-2.0
// Tests of models/link and the link task: the reference's Planetoid split (counts, disjointness,
// negatives are non-edges, determinism per seed; Cora's exact counts when the data is present),
// split checks for ids out of range, average precision against hand values, NCN's predictor
// gradients, and a seeded end-to-end NCN run on a small generated graph that must beat chance and
// be bit-identical when repeated.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "datasets/registry.h"
#include "core/ops/linalg.h"
#include "core/ops/reduce.h"
#include "graph/generators.h"
#include "graph/normalize.h"
#include "layers/ops/spmm.h"
#include "models/link/link_model.h"
#include "models/link/link_split.h"
#include "models/training/link_task.h"
#include "models/training/metrics_link.h"
#include "models/training/trainer.h"
#include "tests/support/data_dir.h"
#include "tests/support/gradcheck.h"

namespace moegnn::models {
namespace {

using Key = std::pair<graph::NodeId, graph::NodeId>;

std::set<Key> keys(const graph::EdgeList& e) {
  std::set<Key> out;
  for (Index k = 0; k < e.size(); ++k)
    out.insert({std::min(e.src[k], e.dst[k]), std::max(e.src[k], e.dst[k])});
  return out;
}

graph::Csr small_graph() {
  graph::RmatOptions r;
  r.num_nodes = 300;
  r.num_edges = 2400;
  r.self_loops = false;
  r.seed = 3;
  return graph::rmat(r);
}

void expect_protocol(const graph::Csr& g, const LinkSets& s) {
  const std::set<Key> all = keys(graph::to_edge_list(g));
  const auto m = all.size();
  const auto n_v = static_cast<Index>(0.2 * static_cast<double>(m));
  EXPECT_EQ(s.test_pos.size(), n_v);
  EXPECT_EQ(s.test_neg.size(), n_v);
  EXPECT_EQ(s.val_neg.size(), n_v);
  EXPECT_EQ(s.val_pos.size(), n_v / 2);
  EXPECT_EQ(s.train_pos.size(), static_cast<Index>(m) - n_v - n_v / 2);
  const auto tr = keys(s.train_pos), va = keys(s.val_pos), te = keys(s.test_pos);
  EXPECT_EQ(tr.size() + va.size() + te.size(), m);  // disjoint and covering
  for (const auto* neg : {&s.val_neg, &s.test_neg})
    for (const Key& k : keys(*neg)) {
      EXPECT_EQ(all.count(k), 0u) << "negative (" << k.first << ", " << k.second << ") is an edge";
      EXPECT_NE(k.first, k.second);
    }
  EXPECT_EQ(keys(s.val_neg).size() + keys(s.test_neg).size(),
            static_cast<std::size_t>(2 * n_v));  // distinct
  EXPECT_EQ(s.train_graph.num_edges(), 2 * s.train_pos.size());
}

TEST(PlanetoidLinkSplit, FollowsTheReferenceProtocol) {
  const graph::Csr g = small_graph();
  const LinkSets a = planetoid_link_split(g, 5);
  expect_protocol(g, a);
  const LinkSets b = planetoid_link_split(g, 5);
  EXPECT_EQ(a.test_pos.src.to_vector(), b.test_pos.src.to_vector());
  const LinkSets c = planetoid_link_split(g, 6);
  EXPECT_NE(a.test_pos.src.to_vector(), c.test_pos.src.to_vector());  // a new split per seed
}

TEST(RandomLinkSplit, CountsLikePyG) {
  const graph::Csr g = small_graph();
  const auto m = static_cast<Index>(keys(graph::to_edge_list(g)).size());
  const LinkSets s = random_link_split(g, 0.1, 0.2, 3);
  EXPECT_EQ(s.val_pos.size(), static_cast<Index>(0.1 * static_cast<double>(m)));
  EXPECT_EQ(s.test_pos.size(), static_cast<Index>(0.2 * static_cast<double>(m)));
  EXPECT_EQ(s.val_neg.size(), s.val_pos.size());
  EXPECT_EQ(s.test_neg.size(), s.test_pos.size());
  EXPECT_EQ(s.train_pos.size() + s.val_pos.size() + s.test_pos.size(), m);
  EXPECT_EQ(keys(s.train_pos).size() + keys(s.val_pos).size() + keys(s.test_pos).size(),
            static_cast<std::size_t>(m));
  EXPECT_THROW(random_link_split(g, 0.5, 0.5, 1), InvalidArgument);
}

TEST(PlanetoidLinkSplit, CoraCounts) {
  MOEGNN_REQUIRE_DATASET(dir, "cora");  // under CI a missing dataset fails
  const auto cora = datasets::load_node_dataset("cora", dir.parent_path());
  const LinkSets s = planetoid_link_split(cora.graph, 0);
  // 5278 undirected edges: floor(0.2 m) = 1055 test and validation; int(0.5 · 1055) = 527 stay.
  EXPECT_EQ(s.test_pos.size(), 1055);
  EXPECT_EQ(s.test_neg.size(), 1055);
  EXPECT_EQ(s.val_pos.size(), 527);
  EXPECT_EQ(s.val_neg.size(), 1055);
  EXPECT_EQ(s.train_pos.size(), 3696);
  expect_protocol(cora.graph, s);
}

TEST(LinkSets, RejectsIdsOutOfRange) {
  LinkSets s = planetoid_link_split(small_graph(), 1);
  s.test_neg.dst = graph::NodeIds({0, 1, 300});
  s.test_neg.src = graph::NodeIds({2, 3, 4});
  try {
    check(s, 300);
    FAIL() << "no throw";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), testing::HasSubstr("test_neg edge 2 = (4, 300)"));
  }
  EXPECT_THROW(planetoid_link_split(graph::Csr(), 1), InvalidArgument);
}

TEST(LinkMetrics, AveragePrecisionAndHitsBadK) {
  // Ranking: 0.9 (+), 0.8 (-), 0.7 (+), 0.1 (-): AP = 0.5 · 1 + 0.5 · 2/3.
  EXPECT_NEAR(training::average_precision(std::vector<float>{0.9f, 0.7f},
                                          std::vector<float>{0.8f, 0.1f}),
              0.5 + 0.5 * 2.0 / 3.0, 1e-12);
  // A tie of a positive and a negative is one threshold: precision 1/2 at recall 1.
  EXPECT_NEAR(training::average_precision(std::vector<float>{0.5f}, std::vector<float>{0.5f}),
              0.5, 1e-12);
  EXPECT_THROW(training::hits_at_k(std::vector<float>{1.0f}, std::vector<float>{0.0f}, 0),
               InvalidArgument);
}

LinkModel make_model(Index num_nodes, Rng& rng) {
  LinkEncoderOptions e;
  e.in_channels = 0;
  e.num_nodes = num_nodes;
  e.hidden = 16;
  e.conv = LinkConv::PureGcn;
  LinkPredictorOptions p;
  p.hidden = 16;
  p.use_xlin = true;
  p.lnnn = true;
  return LinkModel(e, p, rng);
}

TEST(NcnPredictor, GradientMatchesFiniteDifferences) {
  const graph::Csr g = small_graph();
  Rng rng(2);
  LinkPredictorOptions p;
  p.hidden = 4;
  p.use_xlin = true;
  LinkPredictor predictor(p, rng);
  predictor.eval();  // no dropout: a deterministic function of h
  const graph::EdgeList pairs{graph::NodeIds({0, 5, 7}), graph::NodeIds({1, 9, 7})};
  EXPECT_TRUE(support::gradient_matches(
      [&](Tape& tape, const std::vector<Var>& in) {
        Rng r(1);
        return predictor.forward(tape, in[0], g, pairs, r);
      },
      {support::random_tensor(g.num_nodes(), 4, 8)}, 1e-2f, 5e-3f, 5e-2f));
}

training::FitResult train_once(const LinkSets& sets, Index n) {
  Rng init(1);
  LinkModel model = make_model(n, init);
  training::TrainOptions t;
  t.epochs = 8;
  t.lr = 0.01f;
  t.seed = 4;
  t.progress = false;
  t.evaluate_train = false;
  auto task = std::make_unique<training::LinkPredictionTask>(
      model, Tensor(), sets, training::LinkTaskOptions{128, 4096, 50, true});
  training::Trainer trainer(model, std::move(task), t);
  return trainer.fit();
}

TEST(LinkPredictionTask, NcnLearnsAndIsDeterministic) {
  const graph::Csr g = small_graph();
  const LinkSets sets = planetoid_link_split(g, 2);
  const training::FitResult a = train_once(sets, g.num_nodes());
  const training::FitResult b = train_once(sets, g.num_nodes());
  EXPECT_EQ(a.best.test_metric, b.best.test_metric);
  EXPECT_EQ(a.history.back().loss, b.history.back().loss);
  EXPECT_LT(a.history.back().loss, a.history.front().loss);
  EXPECT_GT(a.best.val_metric, 0.3);  // random scores give about 50 / |val_neg| ≈ 0.1 here
}

TEST(LinkPredictionTask, RejectsBadOptions) {
  const graph::Csr g = small_graph();
  const LinkSets sets = planetoid_link_split(g, 2);
  Rng init(1);
  LinkModel model = make_model(g.num_nodes(), init);
  EXPECT_THROW(training::LinkPredictionTask(model, Tensor(), sets, {128, 4096, 0, true}),
               InvalidArgument);
  EXPECT_THROW(training::LinkPredictionTask(model, Tensor(), sets, {100000, 4096, 10, true}),
               InvalidArgument);
}

}  // namespace
}  // namespace moegnn::models

namespace moegnn::models {
namespace {

// Eval-mode scores of four pairs of small_graph() by a predictor with options p (hidden 8),
// initialised from seed 3, on node representations from seed h_seed.
Tensor ncnc_test_scores(LinkPredictorOptions p, std::uint64_t h_seed) {
  const graph::Csr g = small_graph();
  const graph::EdgeList pairs{graph::NodeIds({0, 5, 7, 11}), graph::NodeIds({1, 9, 30, 40})};
  const Tensor h = support::random_tensor(g.num_nodes(), 8, h_seed);
  p.hidden = 8;
  Rng init(3);
  LinkPredictor predictor(p, init);
  predictor.eval();
  Tape tape(Tape::Mode::Inference);
  Rng rng(1);
  return predictor.forward(tape, tape.constant(h), g, pairs, rng).value().clone();
}

// NCNC with alpha = 0 gives every one-sided neighbour weight 0: exactly NCN. With alpha > 0 the
// scores move, and only through the completed neighbour sum (same parameters). This also checks
// NCN's xlin on the common neighbours' rows alone against NCNC's xlin on every row.
TEST(NcncPredictor, ReducesToNcnWithoutCompletionWeight) {
  const auto scores = [](LinkPredictorKind kind, float alpha) {
    LinkPredictorOptions p;
    p.use_xlin = true;
    p.kind = kind;
    p.alpha = alpha;
    p.proboffset = -2.0f;  // probabilities well above 0
    return ncnc_test_scores(p, 21);
  };
  const Tensor ncn = scores(LinkPredictorKind::Ncn, 1.0f);
  EXPECT_TRUE(support::all_close(scores(LinkPredictorKind::Ncnc, 0.0f), ncn, 1e-6f, 1e-6f));
  EXPECT_FALSE(support::all_close(scores(LinkPredictorKind::Ncnc, 1.0f), ncn, 1e-4f, 1e-4f));
}

// A batch without any common neighbour: NCN's xlin runs on no row; the scores equal NCNC's with
// alpha = 0 (xlin on every row, all of it unread), and training mode runs forward and backward.
TEST(NcnPredictor, BatchWithoutCommonNeighbours) {
  const graph::Csr empty(20, 20, graph::EdgeIds(std::vector<graph::EdgeId>(21, 0)),
                         graph::NodeIds(), {}, graph::Validate::Trusted);
  const graph::EdgeList pairs{graph::NodeIds({0, 5, 7}), graph::NodeIds({1, 9, 3})};
  const Tensor h = support::random_tensor(20, 8, 5);
  const auto scores = [&](LinkPredictorKind kind, bool train) {
    LinkPredictorOptions p;
    p.hidden = 8;
    p.use_xlin = true;
    p.kind = kind;
    p.alpha = 0.0f;
    p.predp = 0.1f;
    Rng init(3);
    LinkPredictor predictor(p, init);
    if (!train) predictor.eval();
    Tape tape(train ? Tape::Mode::Training : Tape::Mode::Inference);
    Rng rng(1);
    Parameter hp(h.clone());
    const Var hv = train ? tape.param(hp) : tape.constant(h);
    const Var out = predictor.forward(tape, hv, empty, pairs, rng);
    if (train) {
      tape.backward(ops::sum(tape, out));
      EXPECT_GT(hp.grad.host().norm(), 0.0f);  // through the pair branch
    }
    return out.value().clone();
  };
  EXPECT_TRUE(support::all_close(scores(LinkPredictorKind::Ncn, false),
                                 scores(LinkPredictorKind::Ncnc, false), 1e-6f, 1e-6f));
  const Tensor trained = scores(LinkPredictorKind::Ncn, true);
  EXPECT_EQ(trained.rows(), 3);
  for (Index b = 0; b < 3; ++b) EXPECT_TRUE(std::isfinite(trained.data()[b]));
}

// The reference's recursion (CompletionInput::Reference) differs from the method only through
// xlin (applied to x̃ a second time, x̃ as the inner h) and, while training, a second edge dropout:
// without xlin, in eval mode, both completions give the same scores; with xlin they differ.
TEST(NcncPredictor, ReferenceCompletionDiffersOnlyThroughXlin) {
  const auto scores = [](CompletionInput completion, bool xlin) {
    LinkPredictorOptions p;
    p.kind = LinkPredictorKind::Ncnc;
    p.use_xlin = xlin;
    p.proboffset = 0.0f;  // probabilities in σ's sensitive range, not saturated
    p.completion = completion;
    return ncnc_test_scores(p, 22);
  };
  using enum CompletionInput;
  EXPECT_TRUE(support::all_close(scores(Reference, false), scores(Ncn, false), 1e-6f, 1e-6f));
  EXPECT_FALSE(support::all_close(scores(Reference, true), scores(Ncn, true), 1e-4f, 1e-4f));
}

}  // namespace
}  // namespace moegnn::models

namespace moegnn::models {
namespace {

// Bag-of-words features take the sparse input product; it must equal Â · (X · W + b).
TEST(LinkEncoder, SparseInputProductEqualsDense) {
  const graph::Csr g = small_graph();
  Rng rng(4);
  Tensor x = Tensor::zeros(g.num_nodes(), 40);
  for (Index i = 0; i < x.size(); ++i) x.data()[i] = rng.uniform() < 0.05f ? 1.0f : 0.0f;
  LinkEncoderOptions o;
  o.in_channels = 40;
  o.hidden = 6;
  o.xdp = 0.5f;  // inactive in evaluation mode
  Rng init(2);
  LinkEncoder encoder(o, init);
  encoder.eval();
  Tape tape(Tape::Mode::Inference);
  const Tensor h = encoder.forward(tape, g, x, rng).value();
  const std::vector<Parameter*> p = encoder.parameters();  // input.weight, input.bias
  ASSERT_EQ(p.size(), 2u);
  Tensor xw = ops::matmul(x, p[0]->value);
  for (Index i = 0; i < xw.rows(); ++i) xw.host().row(i) += p[1]->value.host().row(0);
  const Tensor expected = ops::spmm(graph::gcn_norm(g), xw);
  EXPECT_TRUE(support::all_close(h, expected, 1e-5f, 1e-5f));
}

}  // namespace
}  // namespace moegnn::models
