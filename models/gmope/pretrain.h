// SPDX-License-Identifier: Apache-2.0
// GMoPE pretraining over several graphs (research/gmope.md §2.2, pretext tasks [PROPOSAL]; the
// paper's could not be read). Each epoch takes one Adam step per source graph on
//   L = L_link + L_contrast + λ_orth L_orth + λ_bal L_bal
// - link prediction with negatives: up to `link_batch` of the graph's edges against as many
//   uniform non-edges (graph/negative_sampling.h), dot-product scores, BCE;
// - GraphCL-style contrast (You et al., 2020; node-level as GRACE, Zhu et al., 2020): two views by
//   edge dropping and feature-column masking, a two-layer projection head, InfoNCE over up to
//   `contrast_nodes` nodes (row i of each view the positive pair);
// - the soft orthogonality of the expert prompts, and optionally load balancing of the gates.
// Every random draw comes from options.seed, so a pretraining run repeats bit for bit.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "graph/csr.h"
#include "models/gmope/gmope.h"

namespace moegnn::models {

enum class Pretext { Link, Contrastive, Both };
inline constexpr std::array<std::pair<std::string_view, Pretext>, 3> kPretexts{
    {{"link", Pretext::Link}, {"contrastive", Pretext::Contrastive}, {"both", Pretext::Both}}};

struct PretrainSource {
  std::string name;
  graph::Csr raw;    // symmetric, no self-loops, sorted rows
  GmopeGraph graph;  // make_gmope_graph(raw, aligned features, ...)
};

struct PretrainOptions {
  Index epochs = 50;
  float lr = 0.005f;
  float weight_decay = 0.0f;
  Pretext pretext = Pretext::Both;
  float orth_weight = 0.1f;  // λ_orth (0: no orthogonality term)
  bool orth_normalize = true;
  float balance_weight = 0.0f;  // λ_bal
  Index link_batch = 2048;      // positive edges per step
  Index contrast_nodes = 256;   // nodes in each InfoNCE
  float edge_drop = 0.2f;
  float feature_mask = 0.2f;
  float contrast_temperature = 0.5f;
  std::uint64_t seed = 1;
  std::function<void(Index epoch, double loss)> on_epoch{};
};

struct PretrainResult {
  std::vector<double> epoch_loss;  // mean over sources
  double seconds = 0.0;
  std::vector<double> usage_entropy;  // per source, after training (evaluation mode)
};

// Trains every part of `model` (experts, prompts, router). Throws InvalidArgument for no sources,
// a source whose features are not d0 wide, or bad options (epochs < 1, lr <= 0, rates outside
// [0, 1)).
PretrainResult pretrain(Gmope& model, const std::vector<PretrainSource>& sources,
                        const PretrainOptions& options);

// Normalised expert-usage entropy of `model` on `g` (evaluation mode, no dropout).
double expert_usage_entropy(Gmope& model, const GmopeGraph& g);

}  // namespace moegnn::models
