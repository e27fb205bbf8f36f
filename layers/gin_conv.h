// SPDX-License-Identifier: Apache-2.0
// GINConv: the graph isomorphism network layer (Xu et al., 2019), eq. (4.1):
// x_i' = h_Θ((1 + ε) · x_i + Σ_{j ∈ N(i)} x_j), with h_Θ an MLP (layers/mlp.h) and ε fixed or
// trained (train_eps; PyG's default is a fixed ε = 0). Edge values, when the graph has them, weight
// the sum (ops::spmm); pass an unweighted graph for PyG's GINConv, which ignores edge weights.
#pragma once

#include <vector>

#include "core/rng.h"
#include "graph/csr.h"
#include "layers/mlp.h"
#include "layers/module.h"

namespace moegnn::layers {

struct GINConvOptions {
  MLPOptions nn{};   // h_Θ, built by GINConv(options, rng); e.g. channel_list {in, hidden, hidden}
  float eps = 0.0f;  // the fixed ε, or the initial value of the trained one
  bool train_eps = false;
};

class GINConv final : public Module {
 public:
  // Builds h_Θ from options.nn. Throws InvalidArgument as MLP's constructor, or for a non-finite
  // eps.
  GINConv(const GINConvOptions& options, Rng& rng);

  // graph: num_targets × num_sources (square, or a block whose first num_targets sources are the
  // targets); x: num_sources × in_channels() -> num_targets × out_channels(). `rng` draws the
  // MLP's dropout masks. Throws InvalidArgument on a shape or device mismatch.
  Var forward(Tape& tape, const graph::Csr& graph, Var x, Rng& rng);
  // The same without an Rng: allowed when the MLP has no active dropout; throws otherwise.
  Var forward(Tape& tape, const graph::Csr& graph, Var x);

  // Registered parameters: "eps" (1 × 1, when train_eps), then the MLP's parameters prefixed "nn.".

  Index in_channels() const { return nn_.in_channels(); }
  Index out_channels() const { return nn_.out_channels(); }
  const GINConvOptions& options() const { return options_; }
  MLP& nn() { return nn_; }
  Parameter& eps() { return eps_; }  // empty when !train_eps

 private:
  Var aggregate(Tape& tape, const graph::Csr& graph, Var x);
  GINConvOptions options_;
  MLP nn_;
  Parameter eps_;
};

}  // namespace moegnn::layers
