// SPDX-License-Identifier: Apache-2.0
// APPNP: checks and the fused propagation step with its backward rule.
#include "layers/appnp.h"

#include "core/error.h"
#include "core/parallel.h"
#include "layers/detail/message_passing.h"
#include "layers/ops/spmm.h"

namespace moegnn::layers {
namespace {

// out = scale · out + alpha · z elementwise (out is a fresh buffer this file owns).
void scale_add(Tensor& out, float scale, const Tensor& z, float alpha) {
  float* o = out.data();
  const float* zd = z.data();
  parallel_for_range(
      0, out.size(),
      [&](Index lo, Index hi) {
        for (Index i = lo; i < hi; ++i) o[i] = scale * o[i] + alpha * zd[i];
      },
      1 << 14);
}

// dst += scale · src elementwise.
void add_scaled(Tensor& dst, float scale, const Tensor& src) {
  float* d = dst.data();
  const float* s = src.data();
  parallel_for_range(
      0, dst.size(),
      [&](Index lo, Index hi) {
        for (Index i = lo; i < hi; ++i) d[i] += scale * s[i];
      },
      1 << 14);
}

// (1 − α) Â h + α z as one tape node; backward: dh += (1 − α) Âᵀ g over the cached transpose
// (deterministic, no atomics), dz += α g.
Var propagate(Tape& tape, const graph::Csr& adj, Var h, Var z, float alpha) {
  Tensor out = ops::spmm(adj, h.value());
  scale_add(out, 1.0f - alpha, z.value(), alpha);
  return tape.record(out, {h, z}, [adj, alpha](Tape::Step& s) {
    if (s.grad_in[0] != nullptr)
      add_scaled(*s.grad_in[0], 1.0f - alpha, ops::spmm(adj.transpose(), s.grad_out));
    if (s.grad_in[1] != nullptr) add_scaled(*s.grad_in[1], alpha, s.grad_out);
  });
}

}  // namespace

APPNP::APPNP(const APPNPOptions& options) : options_(options) {
  MOEGNN_CHECK_AS(InvalidArgument, "APPNP", options.K >= 0, "K is ", options.K, " vs >= 0");
  MOEGNN_CHECK_AS(InvalidArgument, "APPNP", options.alpha >= 0.0f && options.alpha <= 1.0f,
                  "alpha is ", options.alpha, " vs [0, 1]");
}

Var APPNP::forward(Tape& tape, const graph::Csr& adj, Var x) {
  MOEGNN_CHECK_AS(InvalidArgument, "APPNP::forward", adj.is_square(), "adjacency is ",
                  adj.num_rows(), " × ", adj.num_cols(), " vs square");
  detail::check_message_input("APPNP::forward", adj, x, x.cols());
  detail::require_cpu("APPNP::forward", adj.device());
  Var h = x;
  for (Index k = 0; k < options_.K; ++k) h = propagate(tape, adj, h, x, options_.alpha);
  return h;
}

}  // namespace moegnn::layers
