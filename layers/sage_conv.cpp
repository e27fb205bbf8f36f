// SPDX-License-Identifier: Apache-2.0
// SAGEConv: construction, forward, and the row L2 normalisation with its backward rule.
#include "layers/sage_conv.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/linalg.h"
#include "core/parallel.h"
#include "layers/detail/message_passing.h"
#include "layers/init.h"

namespace moegnn::layers {
namespace {

// Row norms max(‖x_i‖, eps), summed in double so that the result does not depend on vector width.
Tensor row_norms(const Tensor& x, float eps) {
  Tensor norms = Tensor::empty(x.rows(), 1);
  const Index n = x.cols();
  parallel_for(
      0, x.rows(),
      [&](Index i) {
        const float* row = x.data() + i * n;
        double sq = 0.0;
        for (Index j = 0; j < n; ++j) sq += static_cast<double>(row[j]) * row[j];
        norms.data()[i] = std::max(static_cast<float>(std::sqrt(sq)), eps);
      },
      256);
  return norms;
}

}  // namespace

Var l2_normalize_rows(Tape& tape, Var x, float eps) {
  detail::require_cpu("l2_normalize_rows", x.value().device());
  MOEGNN_CHECK(eps > 0.0f, "eps is ", eps, " vs > 0");
  const Tensor& xv = x.value();
  const Index n = xv.cols();
  const Tensor norms = row_norms(xv, eps);
  Tensor out = Tensor::empty(xv.rows(), n);
  parallel_for(
      0, xv.rows(),
      [&](Index i) {
        const float inv = 1.0f / norms.data()[i];
        for (Index j = 0; j < n; ++j) out.data()[i * n + j] = xv.data()[i * n + j] * inv;
      },
      256);
  // Where ‖x‖ > eps: dx = (g - y (y·g)) / ‖x‖; where the norm is clamped to eps: dx = g / eps.
  return tape.record(out, {x}, [norms, eps](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    const Index cols = s.out.cols();
    const float* y = s.out.data();
    const float* g = s.grad_out.data();
    float* dx = s.grad_in[0]->data();
    parallel_for(
        0, s.out.rows(),
        [&](Index i) {
          const float norm = norms.data()[i];
          const float* yi = y + i * cols;
          const float* gi = g + i * cols;
          double dot = 0.0;
          if (norm > eps)
            for (Index j = 0; j < cols; ++j) dot += static_cast<double>(yi[j]) * gi[j];
          const auto d = static_cast<float>(dot);
          for (Index j = 0; j < cols; ++j) dx[i * cols + j] += (gi[j] - yi[j] * d) / norm;
        },
        256);
  });
}

SAGEConv::SAGEConv(const SAGEConvOptions& options, Rng& rng) : options_(options) {
  MOEGNN_CHECK_AS(InvalidArgument, "SAGEConv", options.in_channels > 0 && options.out_channels > 0,
                  "channels must be positive: in ", options.in_channels, ", out ",
                  options.out_channels, " vs > 0");
  MOEGNN_CHECK_AS(InvalidArgument, "SAGEConv",
                  !(options.order == SAGEConvOptions::Order::TransformFirst &&
                    options.aggr == ops::Reduce::Max),
                  "order TransformFirst with aggr Max vs Sum or Mean; max does not commute with ",
                  "the weight, use Auto or AggregateFirst");
  weight_l_ =
      Parameter(glorot_uniform(options.in_channels, options.out_channels, rng), "lin_l.weight");
  if (options.bias) bias_ = Parameter(Tensor::zeros(1, options.out_channels), "lin_l.bias");
  if (options.root_weight)
    weight_r_ =
        Parameter(glorot_uniform(options.in_channels, options.out_channels, rng), "lin_r.weight");
  register_parameter("lin_l.weight", weight_l_);
  if (options.bias) register_parameter("lin_l.bias", bias_);
  if (options.root_weight) register_parameter("lin_r.weight", weight_r_);
}

Var SAGEConv::forward(Tape& tape, const graph::Csr& graph, Var x) {
  detail::check_message_input("SAGEConv::forward", graph, x, options_.in_channels);
  using Order = SAGEConvOptions::Order;
  const bool linear_aggr = options_.aggr != ops::Reduce::Max;
  const bool transform_first =
      linear_aggr &&
      (options_.order == Order::TransformFirst ||
       (options_.order == Order::Auto && options_.out_channels < options_.in_channels));
  const Var w_l = tape.param(weight_l_);
  Var h = transform_first ? ops::spmm(tape, graph, ops::matmul(tape, x, w_l), options_.aggr)
                          : ops::matmul(tape, ops::spmm(tape, graph, x, options_.aggr), w_l);
  if (options_.root_weight)
    h = ops::add(tape, h,
                 ops::matmul(tape, detail::root_rows(tape, graph, x), tape.param(weight_r_)));
  if (options_.bias) h = ops::add_bias(tape, h, tape.param(bias_));
  return options_.normalize ? l2_normalize_rows(tape, h) : h;
}

}  // namespace moegnn::layers
