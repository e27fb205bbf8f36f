// SPDX-License-Identifier: Apache-2.0
// SheafDiffusion: the discrete Neural Sheaf Diffusion models of Bodnar, Di Giovanni, Chamberlain,
// Liò & Bronstein (NeurIPS 2022), Table 1: Diag-NSD, O(d)-NSD and Gen-NSD ("nsd-diag", "nsd-orth",
// "nsd-gen" in the registry). Following the reference implementation's discrete models:
//   X_0     = view_{N·f × c}( [lin12] drop( ELU( lin1( drop_in(X) ) ) ) )
//   Δ_t     = normalised sheaf Laplacian of maps learned from X_t (eq. 8; layers/sheaf/)
//   X_{t+1} = (1 + tanh ε_t) ⊙ X_t − ELU( Δ_t (I_N ⊗ W1_t) drop(X_t) W2_tᵀ )      (eq. 6)
//   logits  = lin2( view_{N × f·c}(X_L) )
// with f = d + fixed coordinates (add-lp, add-hp), c = hidden channels per stalk coordinate.
// The graph is made symmetric without self-loops or duplicate edges (as the reference's
// to_undirected / remove_self_loops / coalesce); the per-graph block pattern is built on the first
// forward over a graph and cached.
#pragma once

#include <memory>
#include <vector>

#include "layers/linear.h"
#include "layers/sheaf/edge_weight_learner.h"
#include "layers/sheaf/restriction_maps.h"
#include "layers/sheaf/sheaf_learner.h"
#include "models/node/node_model.h"

namespace moegnn::models {

enum class SheafVariant { Diag, Orth, General };

struct NsdOptions {
  Index in_channels = 0;
  Index out_channels = 0;
  Index d = 2;                  // learned stalk dimension
  Index num_layers = 2;         // diffusion steps
  Index hidden_channels = 20;   // channels per stalk coordinate (c)
  float dropout = 0.0f;         // on the diffusion branch, the learner input (t > 0), after lin1
  float input_dropout = 0.0f;   // on the input features
  bool add_lp = false;          // fixed signless-Laplacian coordinate
  bool add_hp = false;          // fixed graph-Laplacian coordinate
  bool second_linear = false;   // lin12 after the encoder
  bool use_act = true;          // ELU after lin1 and on the diffusion term
  bool left_weights = true;     // W1_t (f × f, init identity)
  bool right_weights = true;    // W2_t (c × c, init orthogonal)
  bool linear = false;          // one Laplacian (from X_0) for every layer
  bool edge_weights = false;    // O(d)-NSD only
  float sheaf_decay = -1.0f;    // weight decay of the sheaf learners; < 0: the run's weight decay
  layers::sheaf::MapFamily maps = layers::sheaf::MapFamily::Diagonal;
  layers::sheaf::LearnerActivation sheaf_act = layers::sheaf::LearnerActivation::Tanh;
  SheafVariant variant = SheafVariant::Diag;  // set by the registered class, not an option

  void fields(OptionFields& f);
};

class SheafDiffusion : public NodeModel {
 public:
  // Throws InvalidArgument naming the option for d < 1 (d < 2 with orthogonal maps), a map family
  // the variant does not learn, edge weights outside O(d)-NSD, non-positive widths or layers, and
  // dropout outside [0, 1).
  SheafDiffusion(const NsdOptions& options, Rng& rng);
  ~SheafDiffusion() override;
  Index num_hops() const override { return options_.num_layers; }
  const NsdOptions& options() const { return options_; }
  Index stalk_dim() const;  // f = d + fixed coordinates
  // Two groups when sheaf-decay >= 0, as the reference: the sheaf learners at sheaf-decay, the
  // rest (edge-weight learners included) at `weight_decay`.
  std::vector<optim::ParamGroup> parameter_groups(float lr, float weight_decay) override;

 protected:
  // `raw` made symmetric, without self-loops, duplicates or edge values.
  graph::Csr prepare_graph(const graph::Csr& raw) const override;
  // Throws InvalidArgument for non-finite features.
  Var forward_graph(Tape& tape, const graph::Csr& graph, Var x, Rng& rng) override;

 private:
  struct Cache;
  struct Layer;
  const Cache& cache_for(const graph::Csr& graph);
  Var laplacian(Tape& tape, const Cache& cache, Layer& layer, Var state);

  NsdOptions options_;
  std::unique_ptr<layers::Linear> lin1_, lin12_, lin2_;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<std::unique_ptr<Cache>> caches_;
};

// The registered classes: SheafDiffusion with the variant and its default maps fixed.
template <SheafVariant V>
class Nsd final : public SheafDiffusion {
 public:
  struct Options : NsdOptions {
    Options() {
      variant = V;
      maps = V == SheafVariant::Diag  ? layers::sheaf::MapFamily::Diagonal
             : V == SheafVariant::Orth ? layers::sheaf::MapFamily::Householder
                                       : layers::sheaf::MapFamily::General;
      edge_weights = V == SheafVariant::Orth;
    }
  };
  Nsd(const Options& options, Rng& rng) : SheafDiffusion(options, rng) {}
};
using DiagNsd = Nsd<SheafVariant::Diag>;
using OrthNsd = Nsd<SheafVariant::Orth>;
using GenNsd = Nsd<SheafVariant::General>;

}  // namespace moegnn::models
