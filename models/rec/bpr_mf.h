// SPDX-License-Identifier: Apache-2.0
// BPR-MF (Rendle et al., 2009): matrix factorisation trained with the BPR loss; the final
// embeddings are the table itself, ŷ_ui = <e_u, e_i>.
#pragma once

#include "models/rec/rec_model.h"

namespace moegnn::rec {

class BprMf final : public RecModel {
 public:
  // Throws as RecModel.
  BprMf(Index num_users, Index num_items, const RecModelOptions& options)
      : RecModel(num_users, num_items, options) {}
  // E⁰: (U + I) × dim.
  Var forward(Tape& tape) override { return tape.param(embedding()); }
  std::string name() const override { return "bpr-mf"; }
};

}  // namespace moegnn::rec
