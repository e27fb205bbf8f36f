// SPDX-License-Identifier: Apache-2.0
// Bayesian Personalised Ranking (Rendle et al., 2009): the triple sampler and the loss.
// The sampler walks every training interaction (u, i⁺) once per epoch in a seeded random order and
// pairs it with one negative i⁻ drawn uniformly from the items u has not interacted with in train
// (rejection sampling against the user's sorted training list; the lists are built once). Each
// triple's draws come from a counter-based stream keyed by the epoch's key and the triple's
// position, so an epoch is the same on any thread count and is filled in parallel.
// The loss is L = mean_b softplus(ŷ_{u i⁻} − ŷ_{u i⁺}) + λ · ½ (‖E⁰_u‖² + ‖E⁰_{i⁺}‖² +
// ‖E⁰_{i⁻}‖²)/B on the layer-0 rows of the batch (LightGCN's and Sheaf4Rec's regulariser).
#pragma once

#include <vector>

#include "core/index_array.h"
#include "core/rng.h"
#include "core/tape.h"
#include "graph/csr.h"

namespace moegnn::rec {

// Node ids of B triples: users in [0, U), items offset by U (rows of the embedding table).
struct BprBatch {
  IndexArray32 users;
  IndexArray32 pos;
  IndexArray32 neg;
  Index size() const { return users.size(); }
};

class BprSampler {
 public:
  // Keeps a reference to `train` (must outlive the sampler). Throws InvalidArgument for an empty
  // training set, num_items < 1, or a user who has every item (no negative exists).
  BprSampler(const graph::Csr& train, Index num_items);

  // The epoch's triples in batches of batch_size (the last may be smaller); draws one key from
  // `rng`. Throws InvalidArgument for batch_size < 1.
  std::vector<BprBatch> epoch(Rng& rng, Index batch_size) const;

 private:
  const graph::Csr& train_;
  Index num_items_;
  std::vector<std::int32_t> owner_;  // user of each training interaction
};

// mean_b softplus(<z_u, z_{i⁻}> − <z_u, z_{i⁺}>): 1 × 1. z: (U + I) × dim. Throws InvalidArgument
// for an empty batch or an id outside z's rows.
Var bpr_loss(Tape& tape, Var z, const BprBatch& batch);

// ½ (‖e_u‖² + ‖e_{i⁺}‖² + ‖e_{i⁻}‖²) / B over the batch's rows of e (the layer-0 table): 1 × 1.
// Throws as bpr_loss.
Var bpr_l2(Tape& tape, Var e, const BprBatch& batch);

}  // namespace moegnn::rec
