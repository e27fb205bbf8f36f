// SPDX-License-Identifier: Apache-2.0
// Sage model: its convs in the shared layer stack, on the whole graph or on sampled blocks.
#include "models/node/sage.h"

#include "core/error.h"

namespace moegnn::models {

Sage::Sage(const SageOptions& options, Rng& rng)
    : options_(options),
      stack_("Sage", stack_options(options, layers::Activation::Relu), rng,
             [&options](Index, Index in, Index out, bool) {
               return layers::SAGEConvOptions{
                   .in_channels = in, .out_channels = out, .aggr = options.aggr};
             }) {
  register_module("", stack_);
}

graph::Csr Sage::prepare(const graph::Csr& raw) const {
  return raw.has_values() ? raw.with_values(Tensor()) : raw;
}

Var Sage::forward(Tape& tape, const graph::Csr& graph, Var x, Rng& rng) {
  check_forward_input("Sage::forward", x, options_.in_channels, graph.num_nodes());
  return stack_.forward(tape, x, rng, training(), [&](layers::SAGEConv& conv, std::size_t, Var h) {
    return conv.forward(tape, graph, h);
  });
}

Var Sage::forward_blocks(Tape& tape, const std::vector<graph::Block>& blocks, Var x, Rng& rng) {
  check_blocks_input("Sage::forward_blocks", blocks, options_.num_layers, x, options_.in_channels);
  return stack_.forward(tape, x, rng, training(), [&](layers::SAGEConv& conv, std::size_t l, Var h) {
    return conv.forward(tape, blocks[l].adj, h);
  });
}
}  // namespace moegnn::models
