// SPDX-License-Identifier: Apache-2.0
// Gcn model: its convs in the shared layer stack.
#include "models/node/gcn.h"

#include "core/error.h"
#include "graph/normalize.h"

namespace moegnn::models {

Gcn::Gcn(const GcnOptions& options, Rng& rng)
    : options_(options),
      stack_("Gcn", stack_options(options, layers::Activation::Relu), rng,
             [](Index, Index in, Index out, bool) {
               return layers::GCNConvOptions{.in_channels = in, .out_channels = out};
             }) {
  register_module("", stack_);
}

graph::Csr Gcn::prepare(const graph::Csr& raw) const { return graph::gcn_norm(raw); }

Var Gcn::forward(Tape& tape, const graph::Csr& adj, Var x, Rng& rng) {
  check_forward_input("Gcn::forward", x, options_.in_channels, adj.num_nodes());
  return stack_.forward(tape, x, rng, training(), [&](layers::GCNConv& conv, std::size_t, Var h) {
    return conv.forward(tape, adj, h);
  });
}

Var Gcn::forward_blocks(Tape& tape, const std::vector<graph::Block>& blocks, Var x, Rng& rng) {
  check_blocks_input("Gcn::forward_blocks", blocks, options_.num_layers, x, options_.in_channels);
  return stack_.forward(tape, x, rng, training(), [&](layers::GCNConv& conv, std::size_t l, Var h) {
    return conv.forward_block(tape, blocks[l].adj, h);
  });
}
}  // namespace moegnn::models
