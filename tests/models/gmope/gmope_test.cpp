// SPDX-License-Identifier: Apache-2.0
// GMoPE's model pieces: the prompt's rank-1 first-layer term equals the materialised [X̃ ‖ 1pᵀ]
// (values and gradients), gradient checks of the orthogonality loss, the load-balancing loss and
// the router (node and graph level, dense and top-k, with a temperature), top-k gates, usage
// entropy, the fused link loss against gathered scores, frozen parts computing no gradients, and
// graph routing on a batch equal to graph by graph.
#include <cmath>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/loss.h"
#include "core/ops/reduce.h"
#include "core/ops/shape.h"
#include "graph/generators.h"
#include "graph/graph_batch.h"
#include "graph/normalize.h"
#include "datasets/graph_dataset.h"
#include "layers/ops/spmm.h"
#include "models/gmope/gmope.h"
#include "models/gmope/losses.h"
#include "tests/support/gradcheck.h"

namespace moegnn::models {
namespace {

using support::all_close;
using support::gradient_matches;
using support::random_tensor;

// Σ R ⊙ v with a fixed random R (a scalar whose gradient reaches every entry).
Var project(Tape& tape, Var v, std::uint64_t seed) {
  return ops::sum(tape, ops::mul(tape, v, tape.constant(random_tensor(v.rows(), v.cols(), seed))));
}

// Central differences of loss() against each parameter's gradient after one backward.
void expect_param_gradients(const std::vector<Parameter*>& params,
                            const std::function<Var(Tape&)>& loss, float step = 1e-3f,
                            float tol = 3e-3f) {
  for (Parameter* p : params) p->zero_grad();
  {
    Tape tape;
    tape.backward(loss(tape));
  }
  auto value = [&] {
    Tape tape(Tape::Mode::Inference);
    return static_cast<double>(loss(tape).value().item());
  };
  for (Parameter* p : params) {
    MatrixMap v = p->value.host();
    for (Index i = 0; i < v.size(); ++i) {
      const float keep = v.data()[i];
      v.data()[i] = keep + step;
      const double up = value();
      v.data()[i] = keep - step;
      const double down = value();
      v.data()[i] = keep;
      const double numeric = (up - down) / (2.0 * step);
      const double analytic = p->grad.host().data()[i];
      EXPECT_NEAR(analytic, numeric, tol + 2e-2 * std::abs(numeric)) << p->name << "[" << i << "]";
    }
  }
}

GmopeGraph small_graph(Index n, Index d0, std::uint64_t seed, RouterInput input) {
  const graph::Csr raw = graph::uniform_random_graph(n, 3 * n, true, false, seed);
  return make_gmope_graph(raw, random_tensor(n, d0, seed + 1), input);
}

TEST(GmopeExpert, PromptRankOneTermEqualsMaterialisedConcat) {
  const GmopeGraph g = small_graph(30, 6, 4, RouterInput::Features);
  Rng init(5);
  PromptExpert e({.in_channels = 6, .prompt_channels = 3, .hidden_channels = 5, .num_layers = 2},
                 init);
  Rng rng(1);
  Tape fast, slow;
  const Var a =
      e.forward(fast, g.adj, g.s, ops::spmm(fast, g.adj, fast.constant(g.x)), rng, true, true);
  const Var b = e.forward_explicit(slow, g.adj, slow.constant(g.x));
  EXPECT_TRUE(all_close(a.value(), b.value(), 1e-5f, 1e-4f));
  e.zero_grad();
  fast.backward(project(fast, a, 9));
  const Tensor g_fast = e.prompt().grad.clone(), w_fast = e.weights()[1]->grad.clone();
  e.zero_grad();
  slow.backward(project(slow, b, 9));
  EXPECT_TRUE(all_close(g_fast, e.prompt().grad, 1e-5f, 1e-4f));
  EXPECT_TRUE(all_close(w_fast, e.weights()[1]->grad, 1e-5f, 1e-4f));
  // s = Â·1 is not all ones for GCN's normalisation: the identity is not trivially a bias.
  EXPECT_GT(g.s.host().maxCoeff() - g.s.host().minCoeff(), 1e-3f);
}

TEST(GmopeLosses, OrthogonalityValuesAndGradients) {
  Tape tape;
  const Var e1 = tape.constant(Tensor::from_rows({{2, 0, 0}}));
  const Var e2 = tape.constant(Tensor::from_rows({{0, -3, 0}}));
  EXPECT_NEAR(orthogonality_loss(tape, {e1, e2}).value().item(), 0.0f, 1e-6f);
  // Two equal prompts: off-diagonal cosine 1 twice.
  EXPECT_NEAR(orthogonality_loss(tape, {e1, e1}).value().item(), 2.0f, 1e-5f);
  // Unnormalised: ‖P Pᵀ − I‖² = (4 − 1)² + (9 − 1)².
  EXPECT_NEAR(orthogonality_loss(tape, {e1, e2}, false).value().item(), 73.0f, 1e-3f);
  for (bool normalize : {true, false}) {
    const auto f = [normalize](Tape& t, const std::vector<Var>& in) {
      return orthogonality_loss(t, in, normalize);
    };
    EXPECT_TRUE(gradient_matches(f,
                                 {random_tensor(1, 5, 1), random_tensor(1, 5, 2),
                                  random_tensor(1, 5, 3), random_tensor(1, 5, 4)},
                                 1e-3f))
        << normalize;
  }
  EXPECT_THROW(orthogonality_loss(tape, {}), InvalidArgument);
  EXPECT_THROW(orthogonality_loss(tape, {e1, tape.constant(Tensor::zeros(1, 2))}), InvalidArgument);
}

TEST(GmopeLosses, LoadBalanceEntropyInfoNce) {
  Tape tape;
  const Var uniform = tape.constant(Tensor::full(8, 4, 0.25f));
  EXPECT_NEAR(usage_entropy(uniform.value()), 1.0, 1e-9);
  Tensor onehot = Tensor::zeros(5, 3);
  onehot.host().col(1).setOnes();
  EXPECT_NEAR(usage_entropy(onehot), 0.0, 1e-9);
  // Balanced top-1 with uniform probabilities gives L_bal = 1.
  Tensor g = Tensor::from_rows({{0.6f, 0.4f}, {0.4f, 0.6f}});
  EXPECT_NEAR(load_balance_loss(tape, tape.constant(g)).value().item(), 1.0f, 1e-6f);
  const auto softmaxed = [](Tape& t, const std::vector<Var>& in) {
    return load_balance_loss(t, ops::softmax(t, in[0]));
  };
  EXPECT_TRUE(gradient_matches(softmaxed, {random_tensor(6, 3, 8, -2.0f, 2.0f)}, 1e-3f));
  const auto nce = [](Tape& t, const std::vector<Var>& in) {
    return info_nce(t, in[0], in[1], 0.5f);
  };
  EXPECT_TRUE(gradient_matches(nce, {random_tensor(5, 4, 1), random_tensor(5, 4, 2)}, 1e-3f));
}

// The fused link loss (pairs as a Csr, one SDDMM) equals gathering both endpoints, in value and
// gradient, with repeated pairs, a pair in both sets and self-pairs; bad ids name the set.
TEST(GmopeLosses, LinkBceEqualsGatheredScores) {
  const graph::EdgeList pos{graph::NodeIds{0, 3, 3, 5, 2, 0}, graph::NodeIds{1, 4, 4, 5, 0, 6}};
  const graph::EdgeList neg{graph::NodeIds{6, 3, 1, 0, 4}, graph::NodeIds{2, 4, 1, 6, 0}};
  const auto reference = [&](Tape& t, Var h) {
    std::vector<std::int32_t> src, dst;
    for (const graph::EdgeList* e : {&pos, &neg})
      for (Index k = 0; k < e->size(); ++k) src.push_back(e->src[k]), dst.push_back(e->dst[k]);
    const Var score = ops::sum(t,
                               ops::mul(t, ops::gather_rows(t, h, graph::NodeIds(src)),
                                        ops::gather_rows(t, h, graph::NodeIds(dst))),
                               ops::Over::Cols);
    Tensor y = Tensor::zeros(score.rows(), 1);
    y.host().topRows(pos.size()).setOnes();
    return ops::bce_with_logits(t, score, y);
  };
  const Tensor h0 = random_tensor(7, 5, 3, -1.0f, 1.0f);
  Tensor grads[2];
  float values[2];
  for (int way = 0; way < 2; ++way) {
    Parameter p(h0.clone(), "h");
    p.zero_grad();
    Tape tape;
    const Var h = tape.param(p);
    const Var loss = way == 0 ? link_bce(tape, h, pos, neg) : reference(tape, h);
    values[way] = loss.value().item();
    tape.backward(loss);
    grads[way] = p.grad.clone();
  }
  EXPECT_NEAR(values[0], values[1], 1e-6f);
  EXPECT_TRUE(all_close(grads[0], grads[1], 1e-6f));
  const auto fused = [&](Tape& t, const std::vector<Var>& in) {
    return link_bce(t, in[0], pos, neg);
  };
  EXPECT_TRUE(gradient_matches(fused, {h0}, 1e-3f));
  Tape tape;
  const Var h = tape.constant(h0);
  const graph::EdgeList out_of_range{graph::NodeIds{0}, graph::NodeIds{7}};
  try {
    link_bce(tape, h, pos, out_of_range);
    ADD_FAILURE() << "no throw";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("pair 0 of neg is (0, 7) vs ids below 7"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(link_bce(tape, h, pos, graph::EdgeList{}), InvalidArgument);
}

TEST(GmopeRouter, GradientsAtNodeAndGraphLevelDenseAndTopK) {
  const datasets::GraphDataset d = datasets::random_graph_dataset({.num_graphs = 4, .seed = 3});
  const Index d0 = 4;
  const GmopeGraph g = make_gmope_graph(d.graphs.graph, random_tensor(d.graphs.num_nodes(), d0, 2),
                                        RouterInput::Both, d.graphs.ptr, d.graphs.batch);
  for (RoutingLevel level : {RoutingLevel::Node, RoutingLevel::Graph})
    for (Index k : {Index{0}, Index{2}}) {
      Rng init(7);
      Router router({.in_channels = 2 * d0 + 1,
                     .hidden_channels = 6,
                     .num_experts = 4,
                     .level = level,
                     .top_k = k,
                     .temperature = 0.7f},
                    init);
      Tape probe(Tape::Mode::Inference);
      const Tensor gates = router.forward(probe, g.summary, g.ptr, true).value();
      EXPECT_EQ(gates.rows(), level == RoutingLevel::Graph ? g.num_graphs() : g.num_nodes());
      for (Index r = 0; r < gates.rows(); ++r) {
        EXPECT_NEAR(gates.host().row(r).sum(), 1.0f, 1e-5f);
        if (k > 0) {
          EXPECT_EQ((gates.host().row(r).array() > 0.0f).count(), k);
        }
      }
      SCOPED_TRACE(testing::Message()
                   << "graph level " << (level == RoutingLevel::Graph) << ", top-k " << k);
      // Node level: 8 rows, so no row sits near a top-k tie that a step of 1e-3 would flip.
      const Tensor rows =
          level == RoutingLevel::Graph ? g.summary : Tensor::from(g.summary.host().topRows(8));
      expect_param_gradients(router.parameters(), [&](Tape& t) {
        return project(t, router.forward(t, rows, g.ptr, true), 11);
      });
    }
}

GmopeOptions small_options(Index d0) {
  GmopeOptions o;
  o.in_channels = d0;
  o.prompt_channels = 4;
  o.hidden_channels = 8;
  o.num_experts = 3;
  o.router_hidden = 6;
  return o;
}

TEST(Gmope, FrozenPartsGetNoGradientAndGraphRoutingBatches) {
  const datasets::GraphDataset d = datasets::random_graph_dataset({.num_graphs = 5, .seed = 6});
  const Index d0 = 5;
  const Tensor x = random_tensor(d.graphs.num_nodes(), d0, 3);
  Rng init(2);
  Gmope model(small_options(d0), init);
  const GmopeGraph whole =
      make_gmope_graph(d.graphs.graph, x, RouterInput::Both, d.graphs.ptr, d.graphs.batch);
  model.set_trainable(Gmope::Prompts);
  model.zero_grad();
  Rng rng(1);
  {
    Tape tape;
    const GmopeOutput out = model.forward(tape, whole, rng);
    tape.backward(ops::add(tape, project(tape, out.h, 4), model.orthogonality(tape)));
  }
  for (Parameter* p : model.parameters_of(Gmope::Experts | Gmope::Router))
    EXPECT_EQ(p->grad.host().cwiseAbs().maxCoeff(), 0.0f) << p->name;
  for (Parameter* p : model.parameters_of(Gmope::Prompts))
    EXPECT_GT(p->grad.host().cwiseAbs().maxCoeff(), 0.0f) << p->name;
  // Graph routing over the block-diagonal batch equals each graph on its own.
  Tape tape(Tape::Mode::Inference);
  const Tensor batched = model.forward(tape, whole, rng).h.value();
  for (Index gi = 0; gi < d.num_graphs(); ++gi) {
    const std::vector<graph::NodeId> ids{static_cast<graph::NodeId>(gi)};
    const graph::GraphBatch one = graph::select_graphs(d.graphs, ids);
    const Index b = d.graphs.ptr[gi], n = one.num_nodes();
    const GmopeGraph alone =
        make_gmope_graph(one.graph, Tensor::from(x.host().middleRows(b, n)), RouterInput::Both);
    EXPECT_TRUE(all_close(model.forward(tape, alone, rng).h.value(),
                          Tensor::from(batched.host().middleRows(b, n)), 1e-5f, 1e-4f))
        << gi;
  }
}

// Graph routing mixes the experts' last layers before Â (one SpMM): the same values and
// gradients as propagating each expert and mixing after, on a block-diagonal batch whose graphs
// get different gates.
TEST(Gmope, GraphRoutingPropagatesTheMixtureOnce) {
  const datasets::GraphDataset d = datasets::random_graph_dataset({.num_graphs = 4, .seed = 2});
  const Index d0 = 5;
  const GmopeGraph g = make_gmope_graph(d.graphs.graph, random_tensor(d.graphs.num_nodes(), d0, 8),
                                        RouterInput::Both, d.graphs.ptr, d.graphs.batch);
  Rng init(6);
  Gmope model(small_options(d0), init);
  ASSERT_EQ(model.options().routing, RoutingLevel::Graph);
  auto grads = [&] {
    std::vector<Tensor> out;
    for (Parameter* p : model.parameters_of(Gmope::kAll)) out.push_back(p->grad.clone());
    return out;
  };
  Rng rng(1);
  model.zero_grad();
  Tape fast;
  const GmopeOutput mixed = model.forward(fast, g, rng);
  fast.backward(project(fast, mixed.h, 3));
  const std::vector<Tensor> g_fast = grads();
  const Tensor gates = mixed.gates.value();
  EXPECT_GT((gates.host().row(0) - gates.host().row(1)).cwiseAbs().maxCoeff(), 1e-4f);

  model.zero_grad();
  Tape slow;
  const Var node_gates =
      ops::gather_rows(slow, model.router().forward(slow, g.summary, g.ptr, true), g.batch);
  const Var ax = ops::spmm(slow, g.adj, slow.constant(g.x));
  Var h;
  for (Index m = 0; m < model.options().num_experts; ++m) {
    const Var hm = model.expert(m).forward(slow, g.adj, g.s, ax, rng, true, true);
    const Var part = ops::mul(slow, hm, ops::slice_cols(slow, node_gates, m, m + 1));
    h = h.valid() ? ops::add(slow, h, part) : part;
  }
  EXPECT_TRUE(all_close(mixed.h.value(), h.value(), 1e-5f, 1e-4f));
  slow.backward(project(slow, h, 3));
  const std::vector<Tensor> g_slow = grads();
  ASSERT_EQ(g_fast.size(), g_slow.size());
  for (std::size_t i = 0; i < g_fast.size(); ++i)
    EXPECT_TRUE(all_close(g_fast[i], g_slow[i], 1e-5f, 1e-4f))
        << model.parameters_of(Gmope::kAll)[i]->name;
}

TEST(Gmope, FrozenLayerOneCacheGivesTheSameValuesAndGradients) {
  const GmopeGraph g = small_graph(25, 5, 3, RouterInput::Both);
  Rng init(4);
  Gmope model(small_options(5), init);
  auto run = [&](unsigned parts) {
    model.set_trainable(parts);
    Tensor h, grad;
    for (int step = 0; step < 2; ++step) {  // the second step reads the cache
      model.zero_grad();
      Rng rng(1);
      Tape tape;
      const Var out = model.forward(tape, g, rng).h;
      tape.backward(project(tape, out, 6));
      h = out.value().clone();
      grad = model.expert(1).prompt().grad.clone();
    }
    return std::pair{h, grad};
  };
  const auto [h_all, g_all] = run(Gmope::kAll);
  const auto [h_cached, g_cached] = run(Gmope::Prompts);
  EXPECT_TRUE(h_all.host() == h_cached.host());
  EXPECT_TRUE(all_close(g_cached, g_all, 1e-6f, 1e-5f));
  // A graph with other features is not served from the cache.
  GmopeGraph other = g;
  other.x = random_tensor(25, 5, 99);
  Rng rng(1);
  Tape a, b;
  const Tensor cached = model.forward(a, other, rng).h.value();
  model.set_trainable(Gmope::kAll);
  EXPECT_TRUE(cached.host() == model.forward(b, other, rng).h.value().host());
}

TEST(Gmope, FeaturePromptsAndTopKSkipExperts) {
  const GmopeGraph g = small_graph(20, 5, 8, RouterInput::Both);
  for (FeaturePrompt fp : {FeaturePrompt::Gpf, FeaturePrompt::GpfPlus}) {
    GmopeOptions o = small_options(5);
    o.feature_prompt = fp;
    Rng init(3);
    Gmope model(o, init);
    model.set_trainable(Gmope::FeaturePrompts);
    const std::vector<Parameter*> trained = model.parameters_of(Gmope::FeaturePrompts);
    EXPECT_EQ(trained.size(), fp == FeaturePrompt::Gpf ? 1U : 2U);
    Rng rng(1);
    expect_param_gradients(trained,
                           [&](Tape& t) { return project(t, model.forward(t, g, rng).h, 5); });
  }
  GmopeOptions o = small_options(5);
  o.top_k = 1;
  Rng init(3);
  Gmope model(o, init);
  Rng rng(1);
  Tape tape;
  const GmopeOutput out = model.forward(tape, g, rng);
  ASSERT_EQ(out.gates.rows(), 1);
  EXPECT_EQ((out.gates.value().host().array() > 0.0f).count(), 1);
  EXPECT_THROW(model.forward(tape, small_graph(20, 4, 8, RouterInput::Both), rng), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::models
