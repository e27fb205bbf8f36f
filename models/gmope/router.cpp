// SPDX-License-Identifier: Apache-2.0
// The router: summary, MLP, temperature softmax, optional top-k.
#include "models/gmope/router.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/linalg.h"
#include "core/ops/reduce.h"
#include "layers/init.h"
#include "layers/ops/segment.h"
#include "layers/ops/spmm.h"

namespace moegnn::models {
namespace {

const RouterOptions& checked(const RouterOptions& o) {
  MOEGNN_CHECK_AS(InvalidArgument, "Router",
                  o.in_channels > 0 && o.hidden_channels > 0 && o.num_experts > 0, "widths ",
                  o.in_channels, " -> ", o.hidden_channels, " -> ", o.num_experts, " vs positive");
  MOEGNN_CHECK_AS(InvalidArgument, "Router", o.temperature > 0 && o.top_k >= 0, "temperature ",
                  o.temperature, ", top_k ", o.top_k, " vs > 0 and >= 0");
  return o;
}

Var leaf(Tape& tape, Parameter& p, bool trainable) {
  return trainable ? tape.param(p) : tape.constant(p.value);
}

}  // namespace

Tensor router_summary(const graph::Csr& adj, const Tensor& x, const graph::EdgeIds& raw_degree,
                      RouterInput input) {
  MOEGNN_CHECK_AS(InvalidArgument, "router_summary",
                  x.rows() == adj.num_nodes() && raw_degree.size() == adj.num_nodes(), "x is ",
                  x.shape_string(), ", degrees ", raw_degree.size(), " vs ", adj.num_nodes(),
                  " rows each");
  if (input == RouterInput::Features) return x.clone();
  const Tensor ax = ops::spmm(adj, x);
  Tensor out = Tensor::empty(x.rows(), 2 * x.cols() + 1);
  MatrixMap o = out.host();
  o.leftCols(x.cols()) = x.host();
  o.middleCols(x.cols(), x.cols()) = ax.host();
  for (Index v = 0; v < x.rows(); ++v)
    o(v, 2 * x.cols()) = std::log1p(static_cast<float>(raw_degree[v]));
  return out;
}

Router::Router(const RouterOptions& options, Rng& rng) : options_(checked(options)) {
  w0_ = Parameter(layers::glorot_uniform(options_.in_channels, options_.hidden_channels, rng));
  b0_ = Parameter(Tensor::zeros(1, options_.hidden_channels));
  w1_ = Parameter(layers::glorot_uniform(options_.hidden_channels, options_.num_experts, rng));
  b1_ = Parameter(Tensor::zeros(1, options_.num_experts));
  register_parameter("w0", w0_);
  register_parameter("b0", b0_);
  register_parameter("w1", w1_);
  register_parameter("b1", b1_);
}

Var Router::forward(Tape& tape, const Tensor& summary, const graph::EdgeIds& ptr, bool trainable) {
  MOEGNN_CHECK_AS(InvalidArgument, "Router::forward", summary.cols() == options_.in_channels,
                  "summary has ", summary.cols(), " columns vs ", options_.in_channels);
  const Tensor in =
      options_.level == RoutingLevel::Graph ? ops::segment_mean(ptr, summary) : summary;
  Var r = ops::relu(
      tape, ops::add_bias(tape, ops::matmul(tape, tape.constant(in), leaf(tape, w0_, trainable)),
                          leaf(tape, b0_, trainable)));
  r = ops::add_bias(tape, ops::matmul(tape, r, leaf(tape, w1_, trainable)),
                    leaf(tape, b1_, trainable));
  r = ops::mul_scalar(tape, r, 1.0f / options_.temperature);
  const Index m = options_.num_experts, k = options_.top_k;
  if (k > 0 && k < m) {
    // Mask all but each row's k largest logits (ties: the lower expert id first).
    const ConstMatrixMap v = r.value().host();
    Tensor mask = Tensor::zeros(v.rows(), m);
    std::vector<Index> order(static_cast<std::size_t>(m));
    for (Index row = 0; row < v.rows(); ++row) {
      std::iota(order.begin(), order.end(), Index{0});
      std::stable_sort(order.begin(), order.end(),
                       [&](Index a, Index b) { return v(row, a) > v(row, b); });
      for (Index j = k; j < m; ++j) mask.host()(row, order[static_cast<std::size_t>(j)]) = -1e30f;
    }
    r = ops::add(tape, r, tape.constant(mask));
  }
  return ops::softmax(tape, r);
}

}  // namespace moegnn::models
