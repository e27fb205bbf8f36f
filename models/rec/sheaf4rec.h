// SPDX-License-Identifier: Apache-2.0
// Sheaf4Rec (Purificato et al., 2023-24, arXiv 2304.09097): sheaf diffusion of the embedding table
// over the user-item training graph. Each of the K layers has its own parameters and
//   f_k = tanh(a · [x_u ‖ x_v])                 one scalar restriction map per directed edge (u, v)
//   Δ   = D̂^-1/2 L D̂^-1/2                      the Diag sheaf Laplacian with stalk dimension 1,
//                                               augmented normalisation D̂ = diag(L) + I
//   X'  = X − Δ (X Wᵀ + b)                      W: dim × dim, b: dim (step size 1)
// built from layers/sheaf (SheafLearner, diag_sheaf_laplacian) and ops::block_spmm with 1 × 1
// blocks. Read-out Z = [E⁰ ‖ E¹ ‖ … ‖ E^K] (the reference's final version) or the layer mean
// (RecModelOptions::readout). Choices against the reference code are in docs/recommend.md.
#pragma once

#include <memory>
#include <vector>

#include "graph/csr.h"
#include "layers/sheaf/sheaf_pattern.h"
#include "models/rec/rec_model.h"

namespace moegnn::rec {

class Sheaf4Rec final : public RecModel {
 public:
  // `graph`: the bipartite training graph on num_users + num_items nodes (datasets'
  // bipartite_graph: symmetric, no self-loops). Throws InvalidArgument for another node count or
  // pattern, or as RecModel.
  Sheaf4Rec(Index num_users, Index num_items, const RecModelOptions& options,
            const graph::Csr& graph);
  ~Sheaf4Rec() override;
  // Z: (U + I) × (K + 1)·dim (concat) or (U + I) × dim (mean).
  Var forward(Tape& tape) override;
  std::string name() const override { return "sheaf4rec"; }

 private:
  struct Layer;
  layers::sheaf::SheafPattern pattern_;
  std::vector<std::unique_ptr<Layer>> layers_;
};

}  // namespace moegnn::rec
