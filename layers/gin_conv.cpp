// SPDX-License-Identifier: Apache-2.0
// GINConv: construction and forward.
#include "layers/gin_conv.h"

#include <cmath>
#include <utility>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "layers/detail/message_passing.h"
#include "layers/ops/spmm.h"

namespace moegnn::layers {

GINConv::GINConv(const GINConvOptions& options, Rng& rng) : options_(options), nn_(options.nn, rng) {
  MOEGNN_CHECK_AS(InvalidArgument, "GINConv", std::isfinite(options.eps), "eps is ", options.eps,
                  " vs a finite value");
  options_.nn = nn_.options();
  if (options.train_eps) {
    eps_ = Parameter(Tensor::scalar(options.eps), "eps");
    register_parameter("eps", eps_);
  }
  register_module("nn", nn_);
}

Var GINConv::aggregate(Tape& tape, const graph::Csr& graph, Var x) {
  detail::check_message_input("GINConv::forward", graph, x, in_channels());
  const Var neighbours = ops::spmm(tape, graph, x, ops::Reduce::Sum);
  const Var root = detail::root_rows(tape, graph, x);
  if (options_.train_eps)  // (1 + ε) x = x + ε · x, so the gradient reaches ε
    return ops::add(tape, neighbours, ops::add(tape, root, ops::mul(tape, root, tape.param(eps_))));
  if (options_.eps == 0.0f) return ops::add(tape, neighbours, root);
  return ops::add(tape, neighbours, ops::mul_scalar(tape, root, 1.0f + options_.eps));
}

Var GINConv::forward(Tape& tape, const graph::Csr& graph, Var x, Rng& rng) {
  return nn_.forward(tape, aggregate(tape, graph, x), rng);
}

Var GINConv::forward(Tape& tape, const graph::Csr& graph, Var x) {
  return nn_.forward(tape, aggregate(tape, graph, x));
}

}  // namespace moegnn::layers
