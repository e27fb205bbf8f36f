// SPDX-License-Identifier: Apache-2.0
// The shared embedding table of every recommender model.
#include "models/rec/rec_model.h"

#include "core/error.h"
#include "core/rng.h"

namespace moegnn::rec {
namespace {

Tensor normal_table(Index rows, const RecModelOptions& o) {
  MOEGNN_CHECK_AS(InvalidArgument, "RecModel",
                  o.embedding_dim >= 1 && o.num_layers >= 0 && o.init_std >= 0.0f, "embedding_dim ",
                  o.embedding_dim, ", num_layers ", o.num_layers, ", init_std ", o.init_std,
                  " vs >= 1, >= 0, >= 0");
  Tensor t = Tensor::zeros(rows, o.embedding_dim);
  Rng rng(o.seed);
  float* p = t.data();
  for (Index k = 0; k < rows * o.embedding_dim; ++k) p[k] = o.init_std * rng.normal();
  return t;
}

Index checked_rows(Index num_users, Index num_items) {
  MOEGNN_CHECK_AS(InvalidArgument, "RecModel", num_users >= 1 && num_items >= 1, "num_users ",
                  num_users, " and num_items ", num_items, " vs >= 1 each");
  return num_users + num_items;
}

}  // namespace

RecModel::RecModel(Index num_users, Index num_items, const RecModelOptions& options)
    : num_users_(num_users),
      num_items_(num_items),
      options_(options),
      embedding_(normal_table(checked_rows(num_users, num_items), options)) {
  register_parameter("embedding", embedding_);
}

Tensor RecModel::embeddings() {
  const bool was_training = training();
  eval();
  Tape tape(Tape::Mode::Inference);
  Tensor z = forward(tape).value().to(Device::Cpu);
  train(was_training);
  return z;
}

}  // namespace moegnn::rec
