// SPDX-License-Identifier: Apache-2.0
// GMoPE pretraining: link prediction with negatives and a GraphCL-style contrast over sources.
#include "models/gmope/pretrain.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/shape.h"
#include "core/optim/adam.h"
#include "graph/builder.h"
#include "graph/edge_list.h"
#include "graph/negative_sampling.h"
#include "layers/linear.h"
#include "models/gmope/losses.h"

namespace moegnn::models {
namespace {

void check(const PretrainOptions& o, const std::vector<PretrainSource>& sources, Index d0) {
  MOEGNN_CHECK_AS(InvalidArgument, "pretrain", !sources.empty(), "no source graphs vs >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, "pretrain", o.epochs >= 1 && o.lr > 0, "epochs ", o.epochs,
                  ", lr ", o.lr, " vs >= 1 and > 0");
  MOEGNN_CHECK_AS(InvalidArgument, "pretrain",
                  o.edge_drop >= 0 && o.edge_drop < 1 && o.feature_mask >= 0 &&
                      o.feature_mask < 1 && o.contrast_temperature > 0,
                  "edge_drop ", o.edge_drop, ", feature_mask ", o.feature_mask, ", temperature ",
                  o.contrast_temperature, " vs [0, 1), [0, 1), > 0");
  for (const PretrainSource& s : sources)
    MOEGNN_CHECK_AS(InvalidArgument, "pretrain", s.graph.x.cols() == d0 && s.raw.num_edges() > 0,
                    "source '", s.name, "' has ", s.graph.x.cols(), " feature columns and ",
                    s.raw.num_edges(), " edges vs d0 = ", d0, " and >= 1 edge");
}

// `k` distinct ids of [0, n) (all of them when k >= n), sorted.
graph::NodeIds sample_ids(Index n, Index k, Rng& rng) {
  std::vector<graph::NodeId> ids(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) ids[static_cast<std::size_t>(i)] = static_cast<graph::NodeId>(i);
  if (k < n) {
    for (Index i = 0; i < k; ++i) {
      const auto j = i + static_cast<Index>(rng.below(static_cast<std::uint64_t>(n - i)));
      std::swap(ids[static_cast<std::size_t>(i)], ids[static_cast<std::size_t>(j)]);
    }
    ids.resize(static_cast<std::size_t>(k));
    std::sort(ids.begin(), ids.end());
  }
  return graph::NodeIds(ids);
}

graph::EdgeList sample_edges(const graph::EdgeList& all, Index k, Rng& rng) {
  if (all.size() <= k) return all;
  graph::EdgeList out{graph::NodeIds(k), graph::NodeIds(k)};
  for (Index i = 0; i < k; ++i) {
    const auto e = static_cast<Index>(rng.below(static_cast<std::uint64_t>(all.size())));
    out.src.data()[i] = all.src[e];
    out.dst.data()[i] = all.dst[e];
  }
  return out;
}

// A GraphCL view: each undirected edge dropped with probability p_e, each feature column zeroed
// with probability p_f.
GmopeGraph augment(const PretrainSource& s, const graph::EdgeList& edges, float p_e, float p_f,
                   RouterInput input, Rng& rng) {
  std::vector<std::int32_t> src, dst;
  for (Index e = 0; e < edges.size(); ++e) {
    if (edges.src[e] >= edges.dst[e]) continue;  // each undirected edge once
    if (rng.uniform() < p_e) continue;
    src.push_back(edges.src[e]);
    dst.push_back(edges.dst[e]);
  }
  const graph::Csr g =
      graph::from_coo(src, dst, {}, {.num_nodes = s.raw.num_nodes(), .symmetric = true});
  Tensor x = s.graph.x.clone();
  for (Index c = 0; c < x.cols(); ++c)
    if (rng.uniform() < p_f) x.host().col(c).setZero();
  return make_gmope_graph(g, std::move(x), input, s.graph.ptr, s.graph.batch);
}

}  // namespace

double expert_usage_entropy(Gmope& model, const GmopeGraph& g) {
  const bool was = model.training();
  model.eval();
  Tape tape(Tape::Mode::Inference);
  Rng rng(0);
  const double h = usage_entropy(model.forward(tape, g, rng).gates.value());
  model.train(was);
  return h;
}

PretrainResult pretrain(Gmope& model, const std::vector<PretrainSource>& sources,
                        const PretrainOptions& o) {
  const GmopeOptions& mo = model.options();
  check(o, sources, mo.in_channels);
  const auto start = std::chrono::steady_clock::now();
  Rng rng(o.seed);
  Rng head_init(o.seed ^ 0x5eedULL);
  layers::Linear proj0({mo.hidden_channels, mo.hidden_channels}, head_init);
  layers::Linear proj1({mo.hidden_channels, mo.hidden_channels}, head_init);
  model.set_trainable(Gmope::Experts | Gmope::Prompts | Gmope::Router);
  std::vector<Parameter*> params = model.parameters_of(model.trainable());
  const bool contrast = o.pretext != Pretext::Link, link = o.pretext != Pretext::Contrastive;
  if (contrast)
    for (layers::Linear* l : {&proj0, &proj1})
      for (Parameter* p : l->parameters()) params.push_back(p);
  optim::Adam adam({{params, o.lr, o.weight_decay}});
  std::vector<graph::EdgeList> edges;
  for (const PretrainSource& s : sources) edges.push_back(graph::to_edge_list(s.raw));
  model.train();
  PretrainResult result;
  for (Index epoch = 1; epoch <= o.epochs; ++epoch) {
    double total = 0.0;
    for (std::size_t i = 0; i < sources.size(); ++i) {
      const PretrainSource& s = sources[i];
      for (Parameter* p : params) p->zero_grad();
      Tape tape;
      Var loss =
          o.orth_weight > 0
              ? ops::mul_scalar(tape, model.orthogonality(tape, o.orth_normalize), o.orth_weight)
              : tape.constant(Tensor::scalar(0.0f));
      if (link) {
        const GmopeOutput out = model.forward(tape, s.graph, rng);
        const graph::EdgeList pos = sample_edges(edges[i], o.link_batch, rng);
        const graph::EdgeList neg = graph::negative_sampling(s.raw, pos.size(), rng);
        loss = ops::add(tape, loss, link_bce(tape, out.h, pos, neg));
        if (o.balance_weight > 0)
          loss =
              ops::add(tape, loss,
                       ops::mul_scalar(tape, load_balance_loss(tape, out.gates), o.balance_weight));
      }
      if (contrast) {
        const GmopeGraph v1 =
            augment(s, edges[i], o.edge_drop, o.feature_mask, mo.router_input, rng);
        const GmopeGraph v2 =
            augment(s, edges[i], o.edge_drop, o.feature_mask, mo.router_input, rng);
        const graph::NodeIds ids = sample_ids(s.raw.num_nodes(), o.contrast_nodes, rng);
        auto project = [&](const GmopeGraph& v) {
          const GmopeOutput out = model.forward(tape, v, rng);
          const Var z = ops::gather_rows(tape, out.h, ids);
          return proj1.forward(tape, ops::relu(tape, proj0.forward(tape, z)));
        };
        const Var z1 = project(v1), z2 = project(v2);
        loss = ops::add(tape, loss, info_nce(tape, z1, z2, o.contrast_temperature));
      }
      const float value = loss.value().item();
      MOEGNN_CHECK_AS(InvalidArgument, "pretrain", std::isfinite(value), "epoch ", epoch,
                      ", source '", s.name, "': loss ", value, " vs a finite value; lower --lr");
      tape.backward(loss);
      adam.step();
      total += value;
    }
    result.epoch_loss.push_back(total / static_cast<double>(sources.size()));
    if (o.on_epoch) o.on_epoch(epoch, result.epoch_loss.back());
  }
  for (const PretrainSource& s : sources)
    result.usage_entropy.push_back(expert_usage_entropy(model, s.graph));
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace moegnn::models
