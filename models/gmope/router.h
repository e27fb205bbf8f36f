// SPDX-License-Identifier: Apache-2.0
// GMoPE's structure-aware router (research/gmope.md §2.2, [PROPOSAL]): a two-layer MLP on a
// parameter-free summary of each node, [x̃_v ‖ (Â x̃)_v ‖ log(1 + deg_v)] (its features, its
// neighbourhood's, its degree), or on the mean of that summary over each graph (graph-level
// routing: one mixture per graph, as the edgentiq summary hints). Gates are softmax(r / τ); with
// top-k only each row's k largest logits stay (the others get weight exactly 0) and the softmax
// renormalises over them (Shazeer et al., 2017).
#pragma once

#include <array>
#include <string_view>
#include <utility>

#include "core/rng.h"
#include "core/tape.h"
#include "graph/csr.h"
#include "layers/module.h"

namespace moegnn::models {

enum class RoutingLevel { Node, Graph };
enum class RouterInput { Both, Features };  // summary with or without the structural columns

inline constexpr std::array<std::pair<std::string_view, RoutingLevel>, 2> kRoutingLevels{
    {{"node", RoutingLevel::Node}, {"graph", RoutingLevel::Graph}}};
inline constexpr std::array<std::pair<std::string_view, RouterInput>, 2> kRouterInputs{
    {{"both", RouterInput::Both}, {"features", RouterInput::Features}}};

// The summary the router reads: N × (2·d0 + 1) for Both, N × d0 for Features. x: N × d0 aligned
// features, adj: Â, raw_degree: N entries (edges per row of the raw graph).
Tensor router_summary(const graph::Csr& adj, const Tensor& x, const graph::EdgeIds& raw_degree,
                      RouterInput input);

struct RouterOptions {
  Index in_channels = 0;  // the summary's width
  Index hidden_channels = 32;
  Index num_experts = 1;
  RoutingLevel level = RoutingLevel::Graph;
  Index top_k = 0;           // 0 or >= num_experts: dense
  float temperature = 1.0f;  // > 0
};

class Router final : public layers::Module {
 public:
  // Throws InvalidArgument for non-positive widths, temperature <= 0 or top_k < 0.
  Router(const RouterOptions& options, Rng& rng);
  // summary: N × in_channels (a constant); ptr: graph offsets (node level ignores it). Returns
  // the gates, N × M (node level) or G × M (graph level), rows summing to 1. `trainable`: the
  // weights enter the tape as parameters (else as constants). Throws InvalidArgument on a shape
  // mismatch.
  Var forward(Tape& tape, const Tensor& summary, const graph::EdgeIds& ptr, bool trainable);
  const RouterOptions& options() const { return options_; }

  // Registered parameters: w0 (in × hidden), b0, w1 (hidden × M), b1.

 private:
  RouterOptions options_;
  Parameter w0_, b0_, w1_, b1_;
};

}  // namespace moegnn::models
