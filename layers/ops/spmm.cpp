// SPDX-License-Identifier: Apache-2.0
// SpMM front ends: validation, device dispatch and the backward rules. Sum/Mean backward for x is
// an SpMM over the cached transpose; the backward for differentiable edge weights is an SDDMM; Max
// keeps each output element's winning edge (as an offset within its row) and routes gradients to
// it.
#include "layers/ops/spmm.h"

#include "core/error.h"
#include "layers/ops/cpu/sddmm.h"
#include "layers/ops/cpu/spmm.h"
#include "layers/ops/detail/checks.h"

namespace moegnn::ops {
namespace {

constexpr const char* kOp = "spmm";

void check_reduce(Reduce reduce) {
  MOEGNN_CHECK_AS(InvalidArgument, kOp,
                  reduce == Reduce::Sum || reduce == Reduce::Mean || reduce == Reduce::Max,
                  "unknown reduction: ", static_cast<int>(reduce), " vs Sum, Mean or Max");
}

// Shapes and devices of a graph and its features; Unsupported for CUDA (no kernel yet).
void check_inputs(const graph::Csr& a, const Tensor& x, Reduce reduce) {
  check_reduce(reduce);
  detail::check_rows(kOp, "x", x, a.num_cols(), "a.num_cols()");
  detail::check_device(kOp, "x", x.device(), a.device());
  detail::require_cpu_kernel(kOp, a.device());
}

void check_weighted_inputs(const graph::Csr& a, const Tensor& edge_weight, const Tensor& x,
                           Reduce reduce) {
  check_reduce(reduce);
  detail::check_rows(kOp, "edge_weight", edge_weight, a.num_edges(), "a.num_edges()");
  detail::check_heads(kOp, "x", x.cols(), edge_weight.cols());
  detail::check_rows(kOp, "x", x, a.num_cols(), "a.num_cols()");
  detail::check_device(kOp, "edge_weight", edge_weight.device(), a.device());
  detail::check_device(kOp, "x", x.device(), a.device());
  detail::require_cpu_kernel(kOp, a.device());
}

// The graph's own values (or none) as kernel weights.
cpu::EdgeWeights graph_weights(const graph::Csr& a) {
  return {a.has_values() ? a.values().data() : nullptr, nullptr, 1};
}

struct Forward {
  Tensor out;
  IndexArray32 arg;  // Max only, when a backward will need it: rows × F winning offsets
};

Forward forward_cpu(const graph::Csr& a, const cpu::EdgeWeights& w, const Tensor& x, Reduce reduce,
                    bool keep_arg) {
  Forward f{Tensor::empty(a.num_rows(), x.cols()), IndexArray32()};
  if (reduce != Reduce::Max) {
    cpu::spmm_sum(a.view(), w, x, reduce == Reduce::Mean, false, f.out);
    return f;
  }
  if (keep_arg) f.arg = IndexArray32(a.num_rows() * x.cols());
  cpu::spmm_max(a.view(), w, x, f.out, keep_arg ? f.arg.data() : nullptr);
  return f;
}

// grad_x += ∂out/∂x ᵀ · grad_out for weights w given in a's edge order (values or nnz × H).
void backward_x(const graph::Csr& a, const float* weights, Index heads, bool weights_are_values,
                Reduce reduce, const IndexArray32& arg, const Tensor& grad_out, Tensor& grad_x) {
  if (reduce == Reduce::Max) {
    cpu::spmm_max_backward_x(a.view(), {weights, nullptr, heads}, arg.data(), grad_out, grad_x);
    return;
  }
  const graph::Csr& t = a.transpose();
  // The transpose carries the graph's values already permuted: read them in order. Other weights
  // are read through the permutation.
  const cpu::EdgeWeights wt = weights == nullptr ? cpu::EdgeWeights{}
                              : weights_are_values
                                  ? cpu::EdgeWeights{t.values().data(), nullptr, 1}
                                  : cpu::EdgeWeights{weights, a.transpose_edge_ids().data(), heads};
  cpu::spmm_sum_backward_x(t.view(), wt, reduce == Reduce::Mean ? a.row_ptr().data() : nullptr,
                           grad_out, grad_x);
}

}  // namespace

Tensor spmm(const graph::Csr& a, const Tensor& x, Reduce reduce) {
  check_inputs(a, x, reduce);
  return forward_cpu(a, graph_weights(a), x, reduce, false).out;
}

Var spmm(Tape& tape, const graph::Csr& a, Var x, Reduce reduce) {
  check_inputs(a, x.value(), reduce);
  const bool keep_arg = reduce == Reduce::Max && tape.recording() && x.requires_grad();
  Forward f = forward_cpu(a, graph_weights(a), x.value(), reduce, keep_arg);
  // a is captured by value: copies share the arrays and the cached transpose.
  return tape.record(f.out, {x}, [a, reduce, arg = f.arg](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    backward_x(a, graph_weights(a).values, 1, true, reduce, arg, s.grad_out, *s.grad_in[0]);
  });
}

Tensor spmm(const graph::Csr& a, const Tensor& edge_weight, const Tensor& x, Reduce reduce) {
  check_weighted_inputs(a, edge_weight, x, reduce);
  const cpu::EdgeWeights w{edge_weight.data(), nullptr, edge_weight.cols()};
  return forward_cpu(a, w, x, reduce, false).out;
}

Var spmm(Tape& tape, const graph::Csr& a, Var edge_weight, Var x, Reduce reduce) {
  check_weighted_inputs(a, edge_weight.value(), x.value(), reduce);
  const Index heads = edge_weight.cols();
  const bool keep_arg = reduce == Reduce::Max && tape.recording() &&
                        (x.requires_grad() || edge_weight.requires_grad());
  const cpu::EdgeWeights w{edge_weight.value().data(), nullptr, heads};
  Forward f = forward_cpu(a, w, x.value(), reduce, keep_arg);
  return tape.record(f.out, {edge_weight, x}, [a, reduce, heads, arg = f.arg](Tape::Step& s) {
    const Tensor& weights = *s.in[0];
    const Tensor& xv = *s.in[1];
    if (s.grad_in[1] != nullptr)
      backward_x(a, weights.data(), heads, false, reduce, arg, s.grad_out, *s.grad_in[1]);
    if (s.grad_in[0] == nullptr) return;
    if (reduce == Reduce::Max) {
      cpu::spmm_max_backward_weight(a.view(), heads, arg.data(), xv, s.grad_out, *s.grad_in[0]);
    } else {  // ∂out[i]/∂w[k, h] = s_i · x[j, head h]: an SDDMM of grad_out with x
      cpu::sddmm_dot(a.view(), s.grad_out, xv, heads, reduce == Reduce::Mean, *s.grad_in[0]);
    }
  });
}

}  // namespace moegnn::ops
