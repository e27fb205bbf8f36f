// SPDX-License-Identifier: Apache-2.0
// cn_aggregate front end: checks, dispatch and the backward rule: a scatter by column blocks when
// dx's blocks fit the cache, else a gather over C's transpose with C's values permuted into the
// transpose's edge order (both sum each dx element's terms in the same order).
#include "layers/ops/cn_aggregate.h"

#include "core/error.h"
#include "layers/ops/cpu/cn_aggregate.h"
#include "layers/ops/detail/checks.h"

namespace moegnn::ops {
namespace {

constexpr const char* kOp = "cn_aggregate";

void check_inputs(const graph::Csr& c, const Tensor& x) {
  detail::check_rows(kOp, "x", x, c.num_cols(), "c.num_cols()");
  detail::check_device(kOp, "x", x.device(), c.device());
  detail::require_cpu_kernel(kOp, c.device());
}

const float* weights_of(const graph::Csr& c) {
  return c.has_values() ? c.values().data() : nullptr;
}

}  // namespace

Tensor cn_aggregate(const graph::Csr& c, const Tensor& x) {
  check_inputs(c, x);
  Tensor out = Tensor::empty(c.num_rows(), x.cols());
  cpu::gather_sum(c.view(), weights_of(c), nullptr, x, out, false);
  return out;
}

Var cn_aggregate(Tape& tape, const graph::Csr& c, Var x) {
  Tensor out = cn_aggregate(c, x.value());
  return tape.record(std::move(out), {x}, [c](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    if (cpu::scatter_fits_cache(c.num_cols())) {
      cpu::scatter_sum(c.view(), weights_of(c), s.grad_out, *s.grad_in[0]);
      return;
    }
    const graph::Csr& t = c.transpose();  // N × B; edge k of t is edge perm[k] of c
    const graph::EdgeId* perm = c.has_values() ? c.transpose_edge_ids().data() : nullptr;
    cpu::gather_sum(t.view(), weights_of(c), perm, s.grad_out, *s.grad_in[0], true);
  });
}

}  // namespace moegnn::ops
