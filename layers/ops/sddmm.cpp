// SPDX-License-Identifier: Apache-2.0
// SDDMM front ends: validation, device dispatch and backward rules. The dot's gradients are SpMMs
// weighted by the edge gradient (over the graph for dst, over its cached transpose for src); the
// add's are per-row edge sums. No atomics anywhere.
#include "layers/ops/sddmm.h"

#include "core/error.h"
#include "layers/ops/cpu/sddmm.h"
#include "layers/ops/cpu/spmm.h"
#include "layers/ops/detail/checks.h"

namespace moegnn::ops {
namespace {

// dst: rows × width, src: cols × width, both on the graph's device.
void check_endpoints(const char* op, const graph::Csr& a, const Tensor& dst, const Tensor& src) {
  detail::check_rows(op, "dst", dst, a.num_rows(), "a.num_rows()");
  detail::check_rows(op, "src", src, a.num_cols(), "a.num_cols()");
  detail::check_cols(op, "src", src, dst.cols(), "dst.cols()");
  detail::check_device(op, "dst", dst.device(), a.device());
  detail::check_device(op, "src", src.device(), a.device());
}

void check_dot(const graph::Csr& a, const Tensor& dst, const Tensor& src, Index heads) {
  check_endpoints("sddmm_dot", a, dst, src);
  detail::check_heads("sddmm_dot", "dst", dst.cols(), heads);
  detail::require_cpu_kernel("sddmm_dot", a.device());
}

void check_add(const graph::Csr& a, const Tensor& dst, const Tensor& src) {
  check_endpoints("sddmm_add", a, dst, src);
  detail::require_cpu_kernel("sddmm_add", a.device());
}

}  // namespace

Tensor sddmm_dot(const graph::Csr& a, const Tensor& dst, const Tensor& src, Index heads) {
  check_dot(a, dst, src, heads);
  Tensor out = Tensor::zeros(a.num_edges(), heads);
  cpu::sddmm_dot(a.view(), dst, src, heads, false, out);
  return out;
}

Var sddmm_dot(Tape& tape, const graph::Csr& a, Var dst, Var src, Index heads) {
  const Tensor out = sddmm_dot(a, dst.value(), src.value(), heads);
  return tape.record(out, {dst, src}, [a, heads](Tape::Step& s) {
    // g = ∂L/∂e is nnz × H: it weighs each edge's message like attention coefficients.
    const cpu::EdgeWeights by_edge{s.grad_out.data(), nullptr, heads};
    if (s.grad_in[0] != nullptr)  // grad_dst[i] += Σ_k g[k, h] · src[j]
      cpu::spmm_sum(a.view(), by_edge, *s.in[1], false, true, *s.grad_in[0]);
    if (s.grad_in[1] != nullptr) {  // grad_src[j] += Σ_{k into j} g[k, h] · dst[i], via Aᵀ
      const cpu::EdgeWeights by_t_edge{s.grad_out.data(), a.transpose_edge_ids().data(), heads};
      cpu::spmm_sum(a.transpose().view(), by_t_edge, *s.in[0], false, true, *s.grad_in[1]);
    }
  });
}

Tensor sddmm_add(const graph::Csr& a, const Tensor& dst, const Tensor& src) {
  check_add(a, dst, src);
  Tensor out = Tensor::empty(a.num_edges(), dst.cols());
  cpu::sddmm_add(a.view(), dst, src, out);
  return out;
}

Var sddmm_add(Tape& tape, const graph::Csr& a, Var dst, Var src) {
  const Tensor out = sddmm_add(a, dst.value(), src.value());
  return tape.record(out, {dst, src}, [a](Tape::Step& s) {
    if (s.grad_in[0] != nullptr) cpu::edge_rows_sum(a.view(), nullptr, s.grad_out, *s.grad_in[0]);
    if (s.grad_in[1] != nullptr)
      cpu::edge_rows_sum(a.transpose().view(), a.transpose_edge_ids().data(), s.grad_out,
                         *s.grad_in[1]);
  });
}

}  // namespace moegnn::ops
