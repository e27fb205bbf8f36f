// SPDX-License-Identifier: Apache-2.0
// Gin model: its convs in the shared layer stack, on the whole graph or on sampled blocks.
#include "models/node/gin.h"

#include "core/error.h"

namespace moegnn::models {

Gin::Gin(const GinOptions& options, Rng& rng)
    : StackModel("Gin", options, stack_options(options, layers::Activation::Relu), rng,
                 [&options](Index, Index in, Index out, bool) {
                   // As PyG's GIN(norm=...): the norm also sits inside each h_Θ, between its
                   // Linear layers, where it centres the neighbourhood sums before the ReLU.
                   using Norm = layers::MLPOptions::Norm;
                   const Norm norm = options.batch_norm   ? Norm::BatchNorm
                                     : options.layer_norm ? Norm::LayerNorm
                                                          : Norm::None;
                   return layers::GINConvOptions{.nn = {.channel_list = {in, out, out}, .norm = norm},
                                                 .eps = options.eps,
                                                 .train_eps = options.train_eps};
                 }) {}

graph::Csr Gin::prepare_graph(const graph::Csr& raw) const {
  return raw.has_values() ? raw.with_values(Tensor()) : raw;
}

}  // namespace moegnn::models
