// SPDX-License-Identifier: Apache-2.0
// SDDMM front ends: validation, device dispatch and backward rules. The dot's gradients are SpMMs
// weighted by the edge gradient (over the graph for dst, over its cached transpose for src); the
// add's are per-row edge sums. No atomics anywhere, on either device.
#include "layers/ops/sddmm.h"

#include "core/error.h"
#include "layers/ops/cpu/sddmm.h"
#include "layers/ops/cpu/spmm.h"
#include "layers/ops/cuda/edge.h"
#include "layers/ops/cuda/spmm_rows.h"
#include "layers/ops/detail/checks.h"
#include "core/dispatch.h"

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

// grad_dst[i] += Σ_k g[k, h] · src[j] (an SpMM over a weighted by g) when grad_dst is set, and
// grad_src[j] += Σ_{k into j} g[k, h] · dst[i] (the same over Aᵀ) when grad_src is set.
void dot_backward(const graph::Csr& a, Index heads, const Tensor& g, const Tensor& dst,
                  const Tensor& src, Tensor* grad_dst, Tensor* grad_src) {
  detail::on_device(
      "sddmm_dot", a.device(),
      [&] {
        const cpu::EdgeWeights by_edge{g.data(), nullptr, heads};
        if (grad_dst != nullptr) cpu::spmm_sum(a.view(), by_edge, src, false, true, *grad_dst);
        if (grad_src == nullptr) return;
        const cpu::EdgeWeights by_t_edge{g.data(), a.transpose_edge_ids().data(), heads};
        cpu::spmm_sum(a.transpose().view(), by_t_edge, dst, false, true, *grad_src);
      },
      [&] {
        const cuda::EdgeWeights by_edge{g.data(), nullptr, heads, nullptr};
        if (grad_dst != nullptr)
          cuda::spmm_sum_rows(a.view(), by_edge, src, false, true, *grad_dst);
        if (grad_src == nullptr) return;
        const cuda::EdgeWeights by_t_edge{g.data(), a.transpose_edge_ids().data(), heads, nullptr};
        cuda::spmm_sum_rows(a.transpose().view(), by_t_edge, dst, false, true, *grad_src);
      });
}

// grad[r] += Σ_{k in row r of a} g[perm[k]] (perm nullptr: k), on a's device.
void rows_sum(const graph::Csr& a, const graph::EdgeId* perm, const Tensor& g, Tensor& grad) {
  detail::on_device(
      "sddmm_add", a.device(), [&] { cpu::edge_rows_sum(a.view(), perm, g, grad); },
      [&] { cuda::edge_rows_sum(a.view(), perm, g, grad); });
}

}  // namespace

Tensor sddmm_dot(const graph::Csr& a, const Tensor& dst, const Tensor& src, Index heads) {
  check_endpoints("sddmm_dot", a, dst, src);
  detail::check_heads("sddmm_dot", "dst", dst.cols(), heads);
  return detail::on_device(
      "sddmm_dot", a.device(),
      [&] {
        Tensor out = Tensor::zeros(a.num_edges(), heads);
        cpu::sddmm_dot(a.view(), dst, src, heads, false, out);
        return out;
      },
      [&] {
        Tensor out = Tensor::empty(a.num_edges(), heads, a.device());
        cuda::sddmm_dot(a.view(), dst, src, heads, false, /*accumulate=*/false, out);
        return out;
      });
}

Var sddmm_dot(Tape& tape, const graph::Csr& a, Var dst, Var src, Index heads) {
  const Tensor out = sddmm_dot(a, dst.value(), src.value(), heads);
  return tape.record(out, {dst, src}, [a, heads](Tape::Step& s) {
    // g = ∂L/∂e is nnz × H: it weighs each edge's message like attention coefficients.
    dot_backward(a, heads, s.grad_out, *s.in[0], *s.in[1], s.grad_in[0], s.grad_in[1]);
  });
}

Tensor sddmm_add(const graph::Csr& a, const Tensor& dst, const Tensor& src) {
  check_endpoints("sddmm_add", a, dst, src);
  return detail::on_device(
      "sddmm_add", a.device(),
      [&] {
        Tensor out = Tensor::empty(a.num_edges(), dst.cols());
        cpu::sddmm_add(a.view(), dst, src, out);
        return out;
      },
      [&] {
        Tensor out = Tensor::empty(a.num_edges(), dst.cols(), a.device());
        cuda::sddmm_add(a.view(), dst, src, out);
        return out;
      });
}

Var sddmm_add(Tape& tape, const graph::Csr& a, Var dst, Var src) {
  const Tensor out = sddmm_add(a, dst.value(), src.value());
  return tape.record(out, {dst, src}, [a](Tape::Step& s) {
    if (s.grad_in[0] != nullptr) rows_sum(a, nullptr, s.grad_out, *s.grad_in[0]);
    if (s.grad_in[1] != nullptr)
      rows_sum(a.transpose(), a.transpose_edge_ids().data(), s.grad_out, *s.grad_in[1]);
  });
}

}  // namespace moegnn::ops
