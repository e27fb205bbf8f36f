// SPDX-License-Identifier: Apache-2.0
// RecModel: what a collaborative-filtering model offers BPR training and full-ranking evaluation.
// A model owns one layer-0 embedding table E⁰ ((num_users + num_items) × dim, users first, item i
// at row num_users + i, initialised N(0, init_std²) as Sheaf4Rec and LightGCN do) and maps it to
// the final embeddings Z that score a pair by the dot product ŷ_ui = <z_u, z_i>. BPR-MF returns
// E⁰ itself; LightGCN propagates it over the training graph; Sheaf4Rec diffuses it with NSD's
// sheaf Laplacian. A model is one subclass and one line in models/rec/registry.cpp.
#pragma once

#include <string>

#include "core/tape.h"
#include "layers/module.h"

namespace moegnn::rec {

// How a propagating model turns its layer outputs E^(0..K) into Z (Sheaf4Rec; LightGCN always
// takes the mean, BPR-MF has no layers).
enum class Readout { Concat, Mean };

struct RecModelOptions {
  Index embedding_dim = 64;
  Index num_layers = 3;  // propagation layers (ignored by BPR-MF)
  Readout readout = Readout::Concat;  // Sheaf4Rec: [E⁰ ‖ … ‖ E^K] ((K+1)·dim wide) or the mean
  float init_std = 0.1f;
  std::uint64_t seed = 1;  // initialisation
};

class RecModel : public layers::Module {
 public:
  // The table E⁰ is registered as "embedding". Throws InvalidArgument for num_users or num_items
  // < 1, embedding_dim < 1, num_layers < 0 or init_std < 0.
  RecModel(Index num_users, Index num_items, const RecModelOptions& options);

  // Z: (num_users + num_items) × width, users first (width = embedding_dim, or (K+1)·dim for a
  // concatenated read-out). Honours training().
  virtual Var forward(Tape& tape) = 0;
  // The registry name ("bpr-mf", "lightgcn", "sheaf4rec").
  virtual std::string name() const = 0;

  // E⁰, the rows BPR's L2 term regularises.
  Parameter& embedding() { return embedding_; }
  Index num_users() const { return num_users_; }
  Index num_items() const { return num_items_; }
  const RecModelOptions& options() const { return options_; }

  // Z without a tape, in evaluation mode (restored afterwards): (U + I) × dim on the CPU.
  Tensor embeddings();

 private:
  Index num_users_;
  Index num_items_;
  RecModelOptions options_;
  Parameter embedding_;
};

}  // namespace moegnn::rec
