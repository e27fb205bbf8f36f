// SPDX-License-Identifier: Apache-2.0
// SpMM front ends: validation, device dispatch and the backward rules. Sum/Mean backward for x is
// an SpMM over the cached transpose; the backward for differentiable edge weights is an SDDMM; Max
// keeps each output element's winning edge (as an offset within its row) and routes gradients to
// it. On CUDA, Sum with one weight per edge runs through cuSPARSE (cuda/spmm.cu) and everything
// else through our own row kernels (cuda/spmm_rows.cu, cuda/edge.cu), all without atomics.
#include "layers/ops/spmm.h"

#include <cstdint>
#include <limits>

#include "core/error.h"
#include "layers/ops/cpu/sddmm.h"
#include "layers/ops/cpu/spmm.h"
#include "layers/ops/cuda/edge.h"
#include "layers/ops/cuda/spmm.h"
#include "layers/ops/cuda/spmm_rows.h"
#include "layers/ops/detail/checks.h"
#include "core/dispatch.h"

namespace moegnn::ops {
namespace {

constexpr const char* kOp = "spmm";

void check_reduce(Reduce reduce) {
  MOEGNN_CHECK_AS(InvalidArgument, kOp,
                  reduce == Reduce::Sum || reduce == Reduce::Mean || reduce == Reduce::Max,
                  "unknown reduction: ", static_cast<int>(reduce), " vs Sum, Mean or Max");
}

// Shapes and devices of a graph and its features.
void check_inputs(const graph::Csr& a, const Tensor& x, Reduce reduce) {
  check_reduce(reduce);
  detail::check_rows(kOp, "x", x, a.num_cols(), "a.num_cols()");
  detail::check_device(kOp, "x", x.device(), a.device());
}

void check_weighted_inputs(const graph::Csr& a, const Tensor& edge_weight, const Tensor& x,
                           Reduce reduce) {
  check_reduce(reduce);
  detail::check_rows(kOp, "edge_weight", edge_weight, a.num_edges(), "a.num_edges()");
  detail::check_heads(kOp, "x", x.cols(), edge_weight.cols());
  detail::check_rows(kOp, "x", x, a.num_cols(), "a.num_cols()");
  detail::check_device(kOp, "edge_weight", edge_weight.device(), a.device());
  detail::check_device(kOp, "x", x.device(), a.device());
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

// Weights in a's edge order on CUDA: differentiable ones (nnz × H), else the graph's values or 1.
cuda::EdgeWeights cuda_weights(const graph::Csr& a, const Tensor* edge_weight) {
  if (edge_weight == nullptr) return {a.view().values, nullptr, 1, nullptr};
  return {edge_weight->data(), nullptr, edge_weight->cols(), nullptr};
}

// Whether cuSPARSE takes the graph: its CSR gets 32-bit offsets here (cuda/spmm.h). Larger graphs
// run our row kernel, which reads the int64 offsets.
bool cusparse_fits(const graph::Csr& a) {
  constexpr Index kMax = std::numeric_limits<std::int32_t>::max();
  return a.num_edges() <= kMax && a.num_rows() < kMax;
}

// The same on CUDA: cuSPARSE for Sum with one weight per edge, our row kernels otherwise. The
// argmax offsets are int32: a graph over INT32_MAX edges (a sufficient bound on a row) cannot keep
// them.
Forward forward_cuda(const graph::Csr& a, const Tensor* edge_weight, const Tensor& x, Reduce reduce,
                     bool keep_arg) {
  Forward f{Tensor::empty(a.num_rows(), x.cols(), a.device()), IndexArray32()};
  const Index heads = edge_weight == nullptr ? 1 : edge_weight->cols();
  if (reduce == Reduce::Sum && heads == 1 && cusparse_fits(a)) {
    cuda::spmm_sum(a, edge_weight == nullptr ? nullptr : edge_weight->data(), x,
                   /*accumulate=*/false, f.out);
    return f;
  }
  const cuda::EdgeWeights w = cuda_weights(a, edge_weight);
  if (reduce != Reduce::Max) {
    cuda::spmm_sum_rows(a.view(), w, x, reduce == Reduce::Mean, /*accumulate=*/false, f.out);
    return f;
  }
  if (keep_arg) {
    MOEGNN_CHECK_AS(Unsupported, kOp, a.num_edges() <= std::numeric_limits<std::int32_t>::max(),
                    "Max with a gradient on CUDA keeps int32 edge offsets: the graph has ",
                    a.num_edges(), " edges vs at most 2^31 - 1; use Device::Cpu");
    f.arg = IndexArray32(a.num_rows() * x.cols(), a.device());
  }
  cuda::spmm_max(a.view(), w, x, f.out, keep_arg ? f.arg.data() : nullptr);
  return f;
}

// edge_weight: nnz × H differentiable weights, or nullptr for the graph's values (or ones).
Forward forward(const graph::Csr& a, const Tensor* edge_weight, const Tensor& x, Reduce reduce,
                bool keep_arg) {
  return detail::on_device(
      kOp, a.device(),
      [&] {
        const cpu::EdgeWeights w =
            edge_weight == nullptr
                ? graph_weights(a)
                : cpu::EdgeWeights{edge_weight->data(), nullptr, edge_weight->cols()};
        return forward_cpu(a, w, x, reduce, keep_arg);
      },
      [&] { return forward_cuda(a, edge_weight, x, reduce, keep_arg); });
}

// grad_x += ∂out/∂x ᵀ · grad_out on the CPU for weights w given in a's edge order (values or
// nnz × H); grad_x = ... when not `accumulate` (Sum and Mean only).
void backward_x_cpu(const graph::Csr& a, const float* weights, Index heads, bool weights_are_values,
                    Reduce reduce, const IndexArray32& arg, const Tensor& grad_out,
                    Tensor& grad_x, bool accumulate) {
  if (reduce == Reduce::Max) {
    MOEGNN_ASSERT(accumulate);
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
                           grad_out, grad_x, accumulate);
}

// The same on CUDA. Max gathers through the transpose (spmm_rows.h). Sum with one weight per edge
// is cuSPARSE's non-transposed SpMM over the cached transpose, deterministic like the forward,
// with differentiable weights gathered into the transpose's edge order first; Mean, heads and
// graphs too large for cuSPARSE run our row kernel over the transpose, reading the weights
// through the permutation.
void backward_x_cuda(const graph::Csr& a, const Tensor* edge_weight, Reduce reduce,
                     const IndexArray32& arg, const Tensor& grad_out, Tensor& grad_x) {
  const Index heads = edge_weight == nullptr ? 1 : edge_weight->cols();
  if (reduce == Reduce::Max) {
    cuda::spmm_max_backward_x(a, cuda_weights(a, edge_weight), arg.data(), grad_out, grad_x);
    return;
  }
  const graph::Csr& t = a.transpose();
  if (reduce == Reduce::Sum && heads == 1 && cusparse_fits(t)) {
    if (edge_weight == nullptr) {
      cuda::spmm_sum(t, nullptr, grad_out, /*accumulate=*/true, grad_x);
      return;
    }
    const Tensor wt = cuda::gather_edge_weights(*edge_weight, a.transpose_edge_ids());
    cuda::spmm_sum(t, wt.data(), grad_out, /*accumulate=*/true, grad_x);
    return;
  }
  cuda::EdgeWeights wt =
      edge_weight == nullptr
          ? cuda::EdgeWeights{t.view().values, nullptr, 1, nullptr}
          : cuda::EdgeWeights{edge_weight->data(), a.transpose_edge_ids().data(), heads, nullptr};
  if (reduce == Reduce::Mean) wt.column_mean_row_ptr = a.row_ptr().data();
  cuda::spmm_sum_rows(t.view(), wt, grad_out, /*mean=*/false, /*accumulate=*/true, grad_x);
}

// grad_x += ∂out/∂x ᵀ · grad_out, or grad_x = ... where the step's gradient of x is fresh and the
// kernel can write it (the CPU's Sum and Mean); edge_weight as in forward().
void backward_x(const graph::Csr& a, const Tensor* edge_weight, Reduce reduce,
                const IndexArray32& arg, const Tensor& grad_out, Tape::Step& s, std::size_t i) {
  detail::on_device(
      kOp, a.device(),
      [&] {
        const bool accumulate = reduce == Reduce::Max || !s.fresh(i);
        Tensor& grad_x = reduce == Reduce::Max ? s.zeroed(i) : *s.grad_in[i];
        if (edge_weight == nullptr) {
          backward_x_cpu(a, graph_weights(a).values, 1, true, reduce, arg, grad_out, grad_x,
                         accumulate);
        } else {
          backward_x_cpu(a, edge_weight->data(), edge_weight->cols(), false, reduce, arg, grad_out,
                         grad_x, accumulate);
        }
      },
      [&] { backward_x_cuda(a, edge_weight, reduce, arg, grad_out, s.zeroed(i)); });
}

// grad_w += ∂out/∂w ᵀ · grad_out for differentiable weights (nnz × heads). Max routes each output's
// gradient to its winning edge; for Sum/Mean, ∂out[i]/∂w[k, h] = s_i · x[j, head h]: an SDDMM of
// grad_out with x.
void backward_weight(const graph::Csr& a, Index heads, Reduce reduce, const IndexArray32& arg,
                     const Tensor& x, const Tensor& grad_out, Tensor& grad_w) {
  const bool mean = reduce == Reduce::Mean;
  detail::on_device(
      kOp, a.device(),
      [&] {
        if (reduce == Reduce::Max)
          cpu::spmm_max_backward_weight(a.view(), heads, arg.data(), x, grad_out, grad_w);
        else
          cpu::sddmm_dot(a.view(), grad_out, x, heads, mean, grad_w);
      },
      [&] {
        if (reduce == Reduce::Max)
          cuda::spmm_max_backward_weight(a.view(), heads, arg.data(), x, grad_out, grad_w);
        else
          cuda::sddmm_dot(a.view(), grad_out, x, heads, mean, /*accumulate=*/true, grad_w);
      });
}

}  // namespace

Tensor spmm(const graph::Csr& a, const Tensor& x, Reduce reduce) {
  check_inputs(a, x, reduce);
  return forward(a, nullptr, x, reduce, false).out;
}

Var spmm(Tape& tape, const graph::Csr& a, Var x, Reduce reduce) {
  check_inputs(a, x.value(), reduce);
  const bool keep_arg = reduce == Reduce::Max && tape.recording() && x.requires_grad();
  Forward f = forward(a, nullptr, x.value(), reduce, keep_arg);
  // a is captured by value: copies share the arrays and the cached transpose.
  // The rule reads neither x nor the output: the graph (its cached transpose) and, for Max, the
  // winning edges.
  return tape.record(
      f.out, {x},
      [a, reduce, arg = f.arg](Tape::Step& s) {
        if (s.grad_in[0] == nullptr) return;
        backward_x(a, nullptr, reduce, arg, s.grad_out, s, 0);
      },
      Tape::Reads::Nothing, Tape::Writes::Assign);
}

Tensor spmm(const graph::Csr& a, const Tensor& edge_weight, const Tensor& x, Reduce reduce) {
  check_weighted_inputs(a, edge_weight, x, reduce);
  return forward(a, &edge_weight, x, reduce, false).out;
}

Var spmm(Tape& tape, const graph::Csr& a, Var edge_weight, Var x, Reduce reduce) {
  check_weighted_inputs(a, edge_weight.value(), x.value(), reduce);
  const Index heads = edge_weight.cols();
  const bool keep_arg = reduce == Reduce::Max && tape.recording() &&
                        (x.requires_grad() || edge_weight.requires_grad());
  Forward f = forward(a, &edge_weight.value(), x.value(), reduce, keep_arg);
  return tape.record(f.out, {edge_weight, x}, [a, reduce, heads, arg = f.arg](Tape::Step& s) {
    const Tensor& weights = *s.in[0];
    const Tensor& xv = *s.in[1];
    if (s.grad_in[1] != nullptr) backward_x(a, &weights, reduce, arg, s.grad_out, s, 1);
    if (s.grad_in[0] != nullptr)
      backward_weight(a, heads, reduce, arg, xv, s.grad_out, s.zeroed(0));
  }, Tape::Reads::All, Tape::Writes::Assign);
}

}  // namespace moegnn::ops
