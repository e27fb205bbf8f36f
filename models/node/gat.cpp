// SPDX-License-Identifier: Apache-2.0
// Gat model: its convs in the shared layer stack.
#include "models/node/gat.h"

#include "core/error.h"

namespace moegnn::models {
namespace {

const GatOptions& checked(const GatOptions& o) {
  MOEGNN_CHECK_AS(InvalidArgument, "Gat", o.heads > 0 && o.output_heads > 0, "heads ", o.heads,
                  " and output_heads ", o.output_heads, " vs > 0");
  MOEGNN_CHECK_AS(InvalidArgument, "Gat", o.attention_dropout >= 0.0f && o.attention_dropout < 1.0f,
                  "attention_dropout is ", o.attention_dropout, " vs [0, 1)");
  return o;
}

}  // namespace

Gat::Gat(const GatOptions& options, Rng& rng)
    : StackModel(
          "Gat", checked(options), stack_options(options, layers::Activation::Elu, options.heads),
          rng, [&options](Index, Index in, Index out, bool last) {
            return layers::GATConvOptions{.in_channels = in,
                                          .out_channels = last ? out : options.hidden_channels,
                                          .heads = last ? options.output_heads : options.heads,
                                          .concat = !last,
                                          .dropout = options.attention_dropout};
          }) {}

// Every layer reads the same looped graph, so the first layer's preparation serves all.
graph::Csr Gat::prepare_graph(const graph::Csr& raw) const { return convs().front().prepare(raw); }

}  // namespace moegnn::models
