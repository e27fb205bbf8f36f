// SPDX-License-Identifier: Apache-2.0
// Gin model: its convs in the shared layer stack, on the whole graph or on sampled blocks.
#include "models/node/gin.h"

#include "core/error.h"

namespace moegnn::models {

Gin::Gin(const GinOptions& options, Rng& rng)
    : options_(options),
      stack_("Gin", stack_options(options, layers::Activation::Relu), rng,
             [&options](Index, Index in, Index out, bool) {
               return layers::GINConvOptions{.nn = {.channel_list = {in, out, out}},
                                             .eps = options.eps,
                                             .train_eps = options.train_eps};
             }) {
  register_module("", stack_);
}

graph::Csr Gin::prepare(const graph::Csr& raw) const {
  return raw.has_values() ? raw.with_values(Tensor()) : raw;
}

Var Gin::forward(Tape& tape, const graph::Csr& graph, Var x, Rng& rng) {
  check_forward_input("Gin::forward", x, options_.in_channels, graph.num_nodes());
  return stack_.forward(tape, x, rng, training(), [&](layers::GINConv& conv, std::size_t, Var h) {
    return conv.forward(tape, graph, h, rng);
  });
}

Var Gin::forward_blocks(Tape& tape, const std::vector<graph::Block>& blocks, Var x, Rng& rng) {
  check_blocks_input("Gin::forward_blocks", blocks, options_.num_layers, x, options_.in_channels);
  return stack_.forward(tape, x, rng, training(), [&](layers::GINConv& conv, std::size_t l, Var h) {
    return conv.forward(tape, blocks[l].adj, h, rng);
  });
}
}  // namespace moegnn::models
