// SPDX-License-Identifier: Apache-2.0
// GMoPE: prompted experts, router mixture, GPF feature prompts.
#include "models/gmope/gmope.h"

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/linalg.h"
#include "core/ops/reduce.h"
#include "core/ops/shape.h"
#include "graph/normalize.h"
#include "layers/init.h"
#include "layers/ops/spmm.h"
#include "models/gmope/losses.h"

namespace moegnn::models {
namespace {

Var leaf(Tape& tape, Parameter& p, bool trainable) {
  return trainable ? tape.param(p) : tape.constant(p.value);
}

RouterOptions router_options(const GmopeOptions& o) {
  MOEGNN_CHECK_AS(InvalidArgument, "Gmope", o.in_channels > 0 && o.num_experts > 0, "d0 ",
                  o.in_channels, ", experts ", o.num_experts, " vs positive");
  MOEGNN_CHECK_AS(InvalidArgument, "Gmope", o.gpf_basis > 0, "gpf-basis ", o.gpf_basis,
                  " vs positive");
  return {.in_channels = router_summary_width(o.in_channels, o.router_input),
          .hidden_channels = o.router_hidden,
          .num_experts = o.num_experts,
          .level = o.routing,
          .top_k = o.top_k,
          .temperature = o.temperature};
}

}  // namespace

Index router_summary_width(Index d0, RouterInput input) {
  return input == RouterInput::Both ? 2 * d0 + 1 : d0;
}

void GmopeOptions::fields(OptionFields& f) {
  f.field("d0", in_channels, "aligned feature width (SVD alignment target)", {1, 1 << 16});
  f.field("prompt-dim", prompt_channels, "width of each expert's prompt (0: none)", {0, 1 << 16});
  f.field("hidden", hidden_channels, "expert width (embedding size)", {1, 1 << 20});
  f.field("layers", num_layers, "GCN layers per expert", {1, 64});
  f.field("experts", num_experts, "number of experts M", {1, 1024});
  f.field("dropout", dropout, "dropout between expert layers", {0, 0.999});
  f.choice("routing", routing, kRoutingLevels, "router granularity: node or graph");
  f.choice("router-input", router_input, kRouterInputs,
           "router summary: both (features, neighbourhood mean, log degree) or features");
  f.field("router-hidden", router_hidden, "router MLP width", {1, 1 << 16});
  f.field("top-k", top_k, "experts kept per row (0: dense)", {0, 1024});
  f.field("temperature", temperature, "router softmax temperature", {1e-4, 1e4});
  f.choice("feature-prompt", feature_prompt, kFeaturePrompts,
           "baseline feature prompt: none, gpf, gpf-plus");
  f.field("gpf-basis", gpf_basis, "GPF-plus basis prompts", {1, 1024});
}

GmopeGraph make_gmope_graph(const graph::Csr& raw, Tensor x, RouterInput input, graph::EdgeIds ptr,
                            IndexArray32 batch) {
  const Index n = raw.num_nodes();
  MOEGNN_CHECK_AS(InvalidArgument, "make_gmope_graph", raw.num_cols() == n && x.rows() == n,
                  "graph ", raw.num_rows(), " × ", raw.num_cols(), ", x ", x.shape_string(),
                  " vs a square graph and one feature row per node");
  GmopeGraph g;
  g.adj = graph::gcn_norm(raw);
  g.s = ops::spmm(g.adj, Tensor::ones(n, 1));
  g.summary = router_summary(g.adj, x, graph::in_degrees(raw), input);
  g.x = std::move(x);
  if (ptr.size() <= 1) {
    g.ptr = graph::EdgeIds{0, static_cast<graph::EdgeId>(n)};
    g.batch = IndexArray32(n);
    std::fill_n(g.batch.data(), n, 0);
  } else {
    MOEGNN_CHECK_AS(InvalidArgument, "make_gmope_graph",
                    ptr[ptr.size() - 1] == n && batch.size() == n, "ptr ends at ",
                    ptr[ptr.size() - 1], ", batch has ", batch.size(), " vs ", n, " nodes");
    g.ptr = std::move(ptr);
    g.batch = std::move(batch);
  }
  return g;
}

Gmope::Gmope(const GmopeOptions& options, Rng& rng)
    : options_(options),
      router_(router_options(options), rng) {
  for (Index m = 0; m < options_.num_experts; ++m)
    experts_.emplace_back(PromptExpertOptions{.in_channels = options_.in_channels,
                                              .prompt_channels = options_.prompt_channels,
                                              .hidden_channels = options_.hidden_channels,
                                              .num_layers = options_.num_layers,
                                              .dropout = options_.dropout},
                          rng);
  const Index d0 = options_.in_channels, k = options_.gpf_basis;
  gpf_prompt_ = Parameter(layers::glorot_uniform(1, d0, rng));
  gpf_basis_ = Parameter(layers::glorot_uniform(k, d0, rng));
  gpf_attention_ = Parameter(layers::glorot_uniform(d0, k, rng));
  for (Index m = 0; m < options_.num_experts; ++m) {
    std::string name = "expert";
    name += std::to_string(m);
    register_module(name, experts_[static_cast<std::size_t>(m)]);
  }
  register_module("router", router_);
  register_parameter("gpf.prompt", gpf_prompt_);
  register_parameter("gpf.basis", gpf_basis_);
  register_parameter("gpf.attention", gpf_attention_);
}

std::vector<Parameter*> Gmope::parameters_of(unsigned parts) {
  std::vector<Parameter*> out;
  for (PromptExpert& e : experts_) {
    if ((parts & Prompts) != 0 && options_.prompt_channels > 0) out.push_back(&e.prompt());
    if ((parts & Experts) != 0)
      for (Parameter* p : e.weights()) out.push_back(p);
  }
  if ((parts & Router) != 0)
    for (Parameter* p : router_.parameters()) out.push_back(p);
  if ((parts & FeaturePrompts) != 0) {
    if (options_.feature_prompt == FeaturePrompt::Gpf) out.push_back(&gpf_prompt_);
    if (options_.feature_prompt == FeaturePrompt::GpfPlus) {
      out.push_back(&gpf_basis_);
      out.push_back(&gpf_attention_);
    }
  }
  return out;
}

Var Gmope::prompted_features(Tape& tape, const Tensor& x) {
  const Var xv = tape.constant(x);
  const bool t = (trainable_ & FeaturePrompts) != 0;
  switch (options_.feature_prompt) {
  case FeaturePrompt::None:
    return xv;
  case FeaturePrompt::Gpf:
    return ops::add(tape, xv, leaf(tape, gpf_prompt_, t));
  case FeaturePrompt::GpfPlus: {
    const Var a = ops::softmax(tape, ops::matmul(tape, xv, leaf(tape, gpf_attention_, t)));
    return ops::add(tape, xv, ops::matmul(tape, a, leaf(tape, gpf_basis_, t)));
  }
  }
  return xv;
}

GmopeOutput Gmope::forward(Tape& tape, const GmopeGraph& g, Rng& rng) {
  MOEGNN_CHECK_AS(InvalidArgument, "Gmope::forward",
                  g.x.cols() == options_.in_channels && g.x.rows() == g.num_nodes(), "x is ",
                  g.x.shape_string(), " vs ", g.num_nodes(), " × d0 = ", options_.in_channels,
                  "; align the features first (svd_align)");
  const Var x = prompted_features(tape, g.x);
  GmopeOutput out;
  out.gates = router_.forward(tape, g.summary, g.ptr, (trainable_ & Router) != 0);
  const Var node_gates = options_.routing == RoutingLevel::Graph
                             ? ops::gather_rows(tape, out.gates, g.batch)
                             : out.gates;
  const ConstMatrixMap gv = out.gates.value().host();
  const std::vector<Tensor>* bases = cached_bases(g);
  // Â x̃ once for every expert (not at all when each reads its cached layer-1 term).
  const Var ax = bases != nullptr ? Var{} : ops::spmm(tape, g.adj, x);
  // With graph routing a node's gate is its graph's, constant on each diagonal block of Â, so
  // Σ_m g_m (Â Y_m + b_m) = Â (Σ_m g_m Y_m) + Σ_m g_m b_m: the experts' last layers are mixed
  // first and propagated once, one SpMM (forward and backward) instead of M.
  const bool mix_first = options_.routing == RoutingLevel::Graph && options_.num_layers >= 2;
  const bool wt = (trainable_ & Experts) != 0;
  std::vector<Var> biases, gate_cols;
  Var mixed;
  for (Index m = 0; m < options_.num_experts; ++m) {
    if (gv.col(m).maxCoeff() <= 0.0f) continue;  // top-k routed no row here: skip the expert
    const auto i = static_cast<std::size_t>(m);
    const Var hm = experts_[i].forward(tape, g.adj, g.s, ax, rng, wt, (trainable_ & Prompts) != 0,
                                       bases != nullptr ? &(*bases)[i] : nullptr, !mix_first);
    const Var part = ops::mul(tape, hm, ops::slice_cols(tape, node_gates, m, m + 1));
    mixed = mixed.valid() ? ops::add(tape, mixed, part) : part;
    if (mix_first) {
      biases.push_back(experts_[i].last_bias(tape, wt));
      gate_cols.push_back(ops::slice_cols(tape, out.gates, m, m + 1));
    }
  }
  if (!mix_first) {
    out.h = mixed;
    return out;
  }
  // The mixed bias of each graph (G × hidden), then of each node.
  const bool all = static_cast<Index>(biases.size()) == options_.num_experts;
  const Var graph_bias = ops::matmul(tape, all ? out.gates : ops::concat_cols(tape, gate_cols),
                                     ops::concat_rows(tape, biases));
  const Var propagated = ops::spmm(tape, g.adj, mixed);
  out.h = g.num_graphs() == 1
              ? ops::add_bias(tape, propagated, graph_bias)
              : ops::add(tape, propagated, ops::gather_rows(tape, graph_bias, g.batch));
  return out;
}

const std::vector<Tensor>* Gmope::cached_bases(const GmopeGraph& g) {
  if ((trainable_ & Experts) != 0 || options_.feature_prompt != FeaturePrompt::None) return nullptr;
  for (const CacheEntry& e : cache_)
    if (e.x.shares_storage_with(g.x) && e.adj.col_idx().data() == g.adj.col_idx().data() &&
        e.adj.values().shares_storage_with(g.adj.values()))
      return &e.base;
  constexpr std::size_t kMaxGraphs = 8;
  if (cache_.size() >= kMaxGraphs) cache_.erase(cache_.begin());
  CacheEntry e{g.x, g.adj, {}};
  const Tensor ax = ops::spmm(g.adj, g.x);
  for (const PromptExpert& expert : experts_) e.base.push_back(expert.base_term(ax));
  cache_.push_back(std::move(e));
  return &cache_.back().base;
}

Var Gmope::orthogonality(Tape& tape, bool normalize) {
  if (options_.prompt_channels == 0 || options_.num_experts < 2)
    return tape.constant(Tensor::scalar(0.0f));
  std::vector<Var> prompts;
  for (PromptExpert& e : experts_)
    prompts.push_back(leaf(tape, e.prompt(), (trainable_ & Prompts) != 0));
  return orthogonality_loss(tape, prompts, normalize);
}

std::string Gmope::describe() const {
  std::string s = "gmope: ";
  s += std::to_string(options_.num_experts);
  s += " experts of ";
  s += std::to_string(options_.num_layers);
  s += " GCN layers, hidden ";
  s += std::to_string(options_.hidden_channels);
  s += ", d0 ";
  s += std::to_string(options_.in_channels);
  s += ", prompt ";
  s += std::to_string(options_.prompt_channels);
  s += options_.routing == RoutingLevel::Graph ? ", graph routing" : ", node routing";
  if (options_.top_k > 0) {
    s += ", top-";
    s += std::to_string(options_.top_k);
  }
  return s;
}

}  // namespace moegnn::models
