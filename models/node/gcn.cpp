// SPDX-License-Identifier: Apache-2.0
// Gcn model: its convs in the shared layer stack.
#include "models/node/gcn.h"

#include "core/error.h"
#include "graph/normalize.h"

namespace moegnn::models {

Gcn::Gcn(const GcnOptions& options, Rng& rng)
    : StackModel("Gcn", options, stack_options(options, layers::Activation::Relu), rng,
                 [](Index, Index in, Index out, bool) {
                   return layers::GCNConvOptions{.in_channels = in, .out_channels = out};
                 }) {}

graph::Csr Gcn::prepare_graph(const graph::Csr& raw) const { return graph::gcn_norm(raw); }

}  // namespace moegnn::models
