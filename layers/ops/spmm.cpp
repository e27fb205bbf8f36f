// SPDX-License-Identifier: Apache-2.0
// SpMM front ends: validation, device dispatch and the backward rules. Sum/Mean backward for x is
// an SpMM over the cached transpose; the backward for differentiable edge weights is an SDDMM; Max
// keeps each output element's winning edge (as an offset within its row) and routes gradients to
// it. On CUDA only Sum with one weight per edge has a kernel (cuSPARSE, cuda/spmm.cu), and only
// the x gradient: the edge-weight gradient would need a CUDA SDDMM.
#include "layers/ops/spmm.h"

#include "core/config.h"
#include "core/error.h"
#include "layers/ops/cpu/sddmm.h"
#include "layers/ops/cpu/spmm.h"
#include "layers/ops/cuda/spmm.h"
#include "layers/ops/detail/checks.h"

namespace moegnn::ops {
namespace {

constexpr const char* kOp = "spmm";

const char* name(Reduce reduce) {
  switch (reduce) {
  case Reduce::Sum:
    return "Sum";
  case Reduce::Mean:
    return "Mean";
  case Reduce::Max:
    return "Max";
  }
  return "?";
}

// Runs cpu() for CPU graphs and cuda() for CUDA graphs in a CUDA build: the counterpart of core's
// detail::on_device (private to core). cuda() sits in a discarded `if constexpr` branch in CPU-only
// builds, which therefore need no definition of the cuda:: kernels.
template <typename CpuFn, typename CudaFn>
auto on_device(Device device, CpuFn&& cpu, CudaFn&& cuda) -> decltype(cpu()) {
  if (device == Device::Cpu) return cpu();
  if constexpr (build::kWithCuda) {
    return cuda();
  } else {
    MOEGNN_FAIL(Unsupported, kOp,
                "CUDA tensors in a build with MOEGNN_WITH_CUDA=OFF; rebuild with "
                "-DMOEGNN_WITH_CUDA=ON or move the tensors to Device::Cpu");
  }
}

// CUDA has Sum with one weight per edge (cuSPARSE); Mean, Max and multi-head weights are CPU-only.
void require_kernel(Device device, Reduce reduce, Index heads) {
  if (device == Device::Cpu) return;
  MOEGNN_CHECK_AS(
      Unsupported, kOp, reduce == Reduce::Sum, "no CUDA kernel yet for Reduce::", name(reduce),
      " vs Reduce::Sum (the one CUDA reduction); move the graph and features to Device::Cpu");
  MOEGNN_CHECK_AS(Unsupported, kOp, heads == 1, "no CUDA kernel yet for ", heads,
                  " heads vs 1 (one weight per edge); move the graph and features to Device::Cpu");
}

void check_reduce(Reduce reduce) {
  MOEGNN_CHECK_AS(InvalidArgument, kOp,
                  reduce == Reduce::Sum || reduce == Reduce::Mean || reduce == Reduce::Max,
                  "unknown reduction: ", static_cast<int>(reduce), " vs Sum, Mean or Max");
}

// Shapes and devices of a graph and its features; Unsupported for what CUDA lacks.
void check_inputs(const graph::Csr& a, const Tensor& x, Reduce reduce) {
  check_reduce(reduce);
  detail::check_rows(kOp, "x", x, a.num_cols(), "a.num_cols()");
  detail::check_device(kOp, "x", x.device(), a.device());
  require_kernel(a.device(), reduce, 1);
}

void check_weighted_inputs(const graph::Csr& a, const Tensor& edge_weight, const Tensor& x,
                           Reduce reduce) {
  check_reduce(reduce);
  detail::check_rows(kOp, "edge_weight", edge_weight, a.num_edges(), "a.num_edges()");
  detail::check_heads(kOp, "x", x.cols(), edge_weight.cols());
  detail::check_rows(kOp, "x", x, a.num_cols(), "a.num_cols()");
  detail::check_device(kOp, "edge_weight", edge_weight.device(), a.device());
  detail::check_device(kOp, "x", x.device(), a.device());
  require_kernel(a.device(), reduce, edge_weight.cols());
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

// edge_weight: nnz × H differentiable weights, or nullptr for the graph's values (or ones).
Forward forward(const graph::Csr& a, const Tensor* edge_weight, const Tensor& x, Reduce reduce,
                bool keep_arg) {
  return on_device(
      a.device(),
      [&] {
        const cpu::EdgeWeights w =
            edge_weight == nullptr
                ? graph_weights(a)
                : cpu::EdgeWeights{edge_weight->data(), nullptr, edge_weight->cols()};
        return forward_cpu(a, w, x, reduce, keep_arg);
      },
      [&] {  // Sum, one weight per edge (require_kernel)
        Forward f{Tensor::empty(a.num_rows(), x.cols(), a.device()), IndexArray32()};
        cuda::spmm_sum(a, edge_weight == nullptr ? nullptr : edge_weight->data(), x,
                       /*accumulate=*/false, f.out);
        return f;
      });
}

// grad_x += ∂out/∂x ᵀ · grad_out on the CPU for weights w given in a's edge order (values or
// nnz × H).
void backward_x_cpu(const graph::Csr& a, const float* weights, Index heads, bool weights_are_values,
                    Reduce reduce, const IndexArray32& arg, const Tensor& grad_out,
                    Tensor& grad_x) {
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

// The same on CUDA (Sum, one weight per edge): a non-transposed SpMM over the cached transpose,
// deterministic like the forward. The transpose carries the graph's values; differentiable
// weights are gathered into its edge order first.
void backward_x_cuda(const graph::Csr& a, const Tensor* edge_weight, const Tensor& grad_out,
                     Tensor& grad_x) {
  const graph::Csr& t = a.transpose();
  if (edge_weight == nullptr) {
    cuda::spmm_sum(t, nullptr, grad_out, /*accumulate=*/true, grad_x);
    return;
  }
  const Tensor wt = cuda::gather_edge_weights(*edge_weight, a.transpose_edge_ids());
  cuda::spmm_sum(t, wt.data(), grad_out, /*accumulate=*/true, grad_x);
}

// grad_x += ∂out/∂x ᵀ · grad_out; edge_weight as in forward().
void backward_x(const graph::Csr& a, const Tensor* edge_weight, Reduce reduce,
                const IndexArray32& arg, const Tensor& grad_out, Tensor& grad_x) {
  on_device(
      a.device(),
      [&] {
        if (edge_weight == nullptr) {
          backward_x_cpu(a, graph_weights(a).values, 1, true, reduce, arg, grad_out, grad_x);
        } else {
          backward_x_cpu(a, edge_weight->data(), edge_weight->cols(), false, reduce, arg, grad_out,
                         grad_x);
        }
      },
      [&] { backward_x_cuda(a, edge_weight, grad_out, grad_x); });
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
  return tape.record(f.out, {x}, [a, reduce, arg = f.arg](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    backward_x(a, nullptr, reduce, arg, s.grad_out, *s.grad_in[0]);
  });
}

Tensor spmm(const graph::Csr& a, const Tensor& edge_weight, const Tensor& x, Reduce reduce) {
  check_weighted_inputs(a, edge_weight, x, reduce);
  return forward(a, &edge_weight, x, reduce, false).out;
}

Var spmm(Tape& tape, const graph::Csr& a, Var edge_weight, Var x, Reduce reduce) {
  check_weighted_inputs(a, edge_weight.value(), x.value(), reduce);
  MOEGNN_CHECK_AS(Unsupported, kOp,
                  a.device() == Device::Cpu || !tape.recording() || !edge_weight.requires_grad(),
                  "no CUDA kernel yet for the gradient of edge_weight (an SDDMM) vs a constant ",
                  "edge_weight on CUDA; pass it through tape.constant() or use Device::Cpu");
  const Index heads = edge_weight.cols();
  const bool keep_arg = reduce == Reduce::Max && tape.recording() &&
                        (x.requires_grad() || edge_weight.requires_grad());
  Forward f = forward(a, &edge_weight.value(), x.value(), reduce, keep_arg);
  return tape.record(f.out, {edge_weight, x}, [a, reduce, heads, arg = f.arg](Tape::Step& s) {
    const Tensor& weights = *s.in[0];
    const Tensor& xv = *s.in[1];
    if (s.grad_in[1] != nullptr) backward_x(a, &weights, reduce, arg, s.grad_out, *s.grad_in[1]);
    if (s.grad_in[0] == nullptr) return;
    if (reduce == Reduce::Max) {
      cpu::spmm_max_backward_weight(a.view(), heads, arg.data(), xv, s.grad_out, *s.grad_in[0]);
    } else {  // ∂out[i]/∂w[k, h] = s_i · x[j, head h]: an SDDMM of grad_out with x
      cpu::sddmm_dot(a.view(), s.grad_out, xv, heads, reduce == Reduce::Mean, *s.grad_in[0]);
    }
  });
}

}  // namespace moegnn::ops
