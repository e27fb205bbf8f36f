// SPDX-License-Identifier: Apache-2.0
// LightGCN (He et al., SIGIR 2020): embeddings propagated over the user-item graph without weights
// or non-linearities, E^(k+1) = Â E^(k) with Â = D^-1/2 A D^-1/2 (eq. 7; A the bipartite training
// graph, no self loops), read out as the layer mean Z = Σ_k E^(k) / (K + 1) (eq. 4 with
// α_k = 1/(K+1)).
#pragma once

#include "graph/csr.h"
#include "models/rec/rec_model.h"

namespace moegnn::rec {

class LightGcn final : public RecModel {
 public:
  // `graph`: the bipartite training graph on num_users + num_items nodes (datasets'
  // bipartite_graph); normalised here. Throws InvalidArgument for another node count, or as
  // RecModel.
  LightGcn(Index num_users, Index num_items, const RecModelOptions& options,
           const graph::Csr& graph);
  // Z: (U + I) × dim.
  Var forward(Tape& tape) override;
  std::string name() const override { return "lightgcn"; }

 private:
  graph::Csr adj_;  // Â
};

}  // namespace moegnn::rec
