// SPDX-License-Identifier: Apache-2.0
// LightGCN propagation through layers/ops/spmm (deterministic CSR aggregation and its transpose).
#include "models/rec/lightgcn.h"

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "graph/normalize.h"
#include "layers/ops/spmm.h"

namespace moegnn::rec {
namespace {

graph::Csr normalised(const graph::Csr& g, Index num_nodes) {
  MOEGNN_CHECK_AS(InvalidArgument, "LightGcn", g.is_square() && g.num_nodes() == num_nodes,
                  "graph is ", g.num_rows(), " × ", g.num_cols(), " vs ", num_nodes, " × ",
                  num_nodes, " (users + items); build it with datasets::bipartite_graph");
  graph::GcnNormOptions o;
  o.add_self_loops = false;
  return graph::gcn_norm(g, o);
}

}  // namespace

LightGcn::LightGcn(Index num_users, Index num_items, const RecModelOptions& options,
                   const graph::Csr& graph)
    : RecModel(num_users, num_items, options),
      adj_(normalised(graph, num_users + num_items)) {}

Var LightGcn::forward(Tape& tape) {
  Var x = tape.param(embedding());
  Var sum = x;
  for (Index k = 0; k < options().num_layers; ++k) {
    x = ops::spmm(tape, adj_, x);
    sum = ops::add(tape, sum, x);
  }
  if (options().num_layers == 0) return sum;
  return ops::mul_scalar(tape, sum, 1.0f / static_cast<float>(options().num_layers + 1));
}

}  // namespace moegnn::rec
