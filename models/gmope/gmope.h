// SPDX-License-Identifier: Apache-2.0
// GMoPE, Graph Mixture of Prompt-Experts (Wang et al., arXiv 2511.03251; research/gmope.md): M
// expert GNNs (models/gmope/expert.h), each fed the aligned features joined to its own learnable
// prompt; a structure-aware router (router.h) mixes their node embeddings, H = Σ_m α_m ⊙ H_m
// (α per node, or per graph broadcast to its nodes). The soft orthogonality loss across the
// prompts (losses.h) keeps the experts apart. For the GPF / GPF-plus baselines (Fang et al., 2023)
// the same model carries a feature prompt added to every node's aligned features: GPF x̃_v + p,
// GPF-plus x̃_v + Σ_j softmax(x̃_v W_a)_j p_j; it is trained only in those arms.
//
// What trains is chosen per part (Part flags), and a frozen part enters the tape as constants, so
// prompt-only fine-tuning computes no weight gradients for the experts or the router.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "core/rng.h"
#include "core/tape.h"
#include "graph/csr.h"
#include "layers/module.h"
#include "models/gmope/expert.h"
#include "models/gmope/router.h"
#include "models/options.h"

namespace moegnn::models {

enum class FeaturePrompt { None, Gpf, GpfPlus };
inline constexpr std::array<std::pair<std::string_view, FeaturePrompt>, 3> kFeaturePrompts{
    {{"none", FeaturePrompt::None},
     {"gpf", FeaturePrompt::Gpf},
     {"gpf-plus", FeaturePrompt::GpfPlus}}};

struct GmopeOptions {
  Index in_channels = 32;     // d0: the aligned feature width every graph is projected to
  Index prompt_channels = 8;  // d_p per expert prompt (0: experts without prompts)
  Index hidden_channels = 64;
  Index num_layers = 2;
  Index num_experts = 4;
  float dropout = 0.0f;
  RoutingLevel routing = RoutingLevel::Graph;
  RouterInput router_input = RouterInput::Both;
  Index router_hidden = 32;
  Index top_k = 0;  // 0: dense
  float temperature = 1.0f;
  FeaturePrompt feature_prompt = FeaturePrompt::None;
  Index gpf_basis = 4;  // GPF-plus's basis prompts

  void fields(OptionFields& f);
};

// A graph (or a block-diagonal batch of graphs) ready for GMoPE: Â, s = Â·1, the aligned features,
// the router's summary and the graph offsets.
struct GmopeGraph {
  graph::Csr adj;         // gcn_norm of the raw graph (self-loops added)
  Tensor s;               // N × 1
  Tensor x;               // N × d0
  Tensor summary;         // router input
  graph::EdgeIds ptr{0};  // graph offsets (one graph: {0, N})
  IndexArray32 batch;     // graph id of each node
  Index num_nodes() const { return adj.num_nodes(); }
  Index num_graphs() const { return ptr.size() - 1; }
};

// `raw`: symmetric graph without self-loops; x: N × d0 aligned features; ptr/batch: the graph
// offsets of a block-diagonal batch (empty: one graph). Throws InvalidArgument on size mismatches.
GmopeGraph make_gmope_graph(const graph::Csr& raw, Tensor x, RouterInput input,
                            graph::EdgeIds ptr = {}, IndexArray32 batch = {});

struct GmopeOutput {
  Var h;      // N × hidden node embeddings
  Var gates;  // N × M (node routing) or G × M (graph routing)
};

class Gmope final : public layers::Module {
 public:
  using Options = GmopeOptions;
  enum Part : unsigned { Experts = 1, Prompts = 2, Router = 4, FeaturePrompts = 8 };
  static constexpr unsigned kAll = Experts | Prompts | Router | FeaturePrompts;

  // Throws InvalidArgument for bad widths, top_k < 0, temperature <= 0.
  Gmope(const GmopeOptions& options, Rng& rng);

  // Honours training() (dropout) and trainable(). Throws InvalidArgument when g.x is not N × d0.
  GmopeOutput forward(Tape& tape, const GmopeGraph& g, Rng& rng);
  // L_orth of the expert prompts (a constant 0 without prompts or with M = 1).
  Var orthogonality(Tape& tape, bool normalize = true);

  // Parts that enter the tape as parameters (default: all). Clears the layer-1 cache.
  void set_trainable(unsigned parts) {
    trainable_ = parts;
    cache_.clear();
  }
  // With the experts frozen and no feature prompt, forward() keeps each expert's layer-1 product
  // Â X̃ W_x per graph (the same values, computed once): prompt-only and prompt+router fine-tuning
  // then skip one SpMM and one GEMM per expert and step. Call this after changing expert weights
  // by hand (loading a checkpoint into a model that has run).
  void clear_cache() { cache_.clear(); }
  unsigned trainable() const { return trainable_; }
  std::vector<Parameter*> parameters_of(unsigned parts);

  const GmopeOptions& options() const { return options_; }
  std::string describe() const;
  PromptExpert& expert(Index m) { return experts_[static_cast<std::size_t>(m)]; }
  models::Router& router() { return router_; }

  // Registered: expert<m>.{prompt, w0_x, w0_p, b0, w1, b1, ...}, router.{w0, b0, w1, b1},
  // gpf.prompt (1 × d0), gpf.basis (k × d0), gpf.attention (d0 × k).

 private:
  Var prompted_features(Tape& tape, const Tensor& x);

  GmopeOptions options_;
  std::deque<PromptExpert> experts_;
  models::Router router_;
  Parameter gpf_prompt_, gpf_basis_, gpf_attention_;
  unsigned trainable_ = kAll;
  struct CacheEntry {
    Tensor x;                  // keeps the keyed storage alive, so its address is not reused
    graph::Csr adj;            // likewise
    std::vector<Tensor> base;  // per expert
  };
  std::vector<CacheEntry> cache_;
  const std::vector<Tensor>* cached_bases(const GmopeGraph& g);
};

// The router's summary width for d0 and an input kind.
Index router_summary_width(Index d0, RouterInput input);

}  // namespace moegnn::models
