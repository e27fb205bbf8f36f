// SPDX-License-Identifier: Apache-2.0
// Sage model: its convs in the shared layer stack, on the whole graph or on sampled blocks.
#include "models/node/sage.h"

#include "core/error.h"

namespace moegnn::models {

Sage::Sage(const SageOptions& options, Rng& rng)
    : StackModel("Sage", options, stack_options(options, layers::Activation::Relu), rng,
                 [&options](Index, Index in, Index out, bool) {
                   return layers::SAGEConvOptions{
                       .in_channels = in, .out_channels = out, .aggr = options.aggr};
                 }) {}

graph::Csr Sage::prepare_graph(const graph::Csr& raw) const {
  return raw.has_values() ? raw.with_values(Tensor()) : raw;
}

}  // namespace moegnn::models
