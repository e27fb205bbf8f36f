// SPDX-License-Identifier: Apache-2.0
// CPU SpMM entry points: pick the weight functor once, then run the templated kernels of
// spmm_kernel.h (int32 column ids). Max backward scatters through column blocks, so each gradient
// element has one writer and a fixed order of additions.
#include "layers/ops/cpu/spmm.h"

#include <algorithm>
#include <limits>
#include <type_traits>
#include <vector>

#include "core/error.h"
#include "core/parallel.h"
#include "layers/ops/cpu/spmm_kernel.h"
#include "layers/ops/detail/row_chunks.h"

namespace moegnn::ops::cpu {
namespace {

using graph::EdgeId;
using graph::NodeId;

// Calls body(weight) with the functor that matches w (one instantiation per kind).
template <typename Body>
void with_weight(const EdgeWeights& w, Body&& body) {
  if (w.values == nullptr)
    body(UnitWeight{});
  else if (w.perm == nullptr)
    body(DirectWeight{w.values, w.heads});
  else
    body(PermutedWeight{w.values, w.perm, w.heads});
}

SpmmProblem<NodeId> make_problem(const graph::CsrView& a, const Tensor& x, Index heads,
                                 Tensor& out) {
  SpmmProblem<NodeId> p;
  p.num_rows = a.num_rows;
  p.row_ptr = a.row_ptr;
  p.col_idx = a.col_idx;
  p.x = x.data();
  p.width = x.cols();
  p.heads = heads;
  p.out = out.data();
  p.x_rows = a.num_cols;
  return p;
}

template <typename Weight>
void max_backward_x(const graph::CsrView& a, const Weight& weight, Index heads,
                    const std::int32_t* arg, const Tensor& grad_out, Tensor& grad_x) {
  const Index width = grad_out.cols();
  const Index channels = std::max<Index>(width / heads, 1);
  const Index blocks = (width + kLanes - 1) / kLanes;
  const float* g = grad_out.data();
  float* gx = grad_x.data();
  // One task per block of 16 columns (one cache line of a row): every grad_x element is written by
  // one task, visiting rows in order.
  parallel_for(
      0, blocks,
      [&](Index block) {
        const Index f_lo = block * kLanes;
        const Index f_hi = std::min(width, f_lo + kLanes);
        for (Index i = 0; i < a.num_rows; ++i) {
          const EdgeId b = a.row_ptr[i];
          if (b == a.row_ptr[i + 1]) continue;
          const std::int32_t* ai = arg + i * width;
          const float* gi = g + i * width;
          for (Index f = f_lo; f < f_hi; ++f) {
            const EdgeId k = b + ai[f];
            gx[static_cast<Index>(a.col_idx[k]) * width + f] += weight(k, f / channels) * gi[f];
          }
        }
      },
      1);
}

}  // namespace

void spmm_sum(const graph::CsrView& a, const EdgeWeights& w, const Tensor& x, bool mean,
              bool accumulate, Tensor& out) {
  SpmmProblem<NodeId> p = make_problem(a, x, w.heads, out);
  p.mean = mean;
  p.accumulate = accumulate;
  with_weight(w, [&](const auto& weight) { spmm_sum_kernel(p, weight); });
}

void spmm_sum_backward_x(const graph::CsrView& t, const EdgeWeights& w, const EdgeId* mean_row_ptr,
                         const Tensor& grad_out, Tensor& grad_x, bool accumulate) {
  SpmmProblem<NodeId> p = make_problem(t, grad_out, w.heads, grad_x);
  p.accumulate = accumulate;
  if (mean_row_ptr == nullptr) {
    with_weight(w, [&](const auto& weight) { spmm_sum_kernel(p, weight); });
    return;
  }
  // The forward divided row i by deg(i); t's column i is that row, so scale each edge by it.
  std::vector<float> inverse_degree(static_cast<std::size_t>(t.num_cols));
  for (Index i = 0; i < t.num_cols; ++i) {
    const EdgeId degree = mean_row_ptr[i + 1] - mean_row_ptr[i];
    inverse_degree[static_cast<std::size_t>(i)] =
        degree > 0 ? 1.0f / static_cast<float>(degree) : 0.0f;
  }
  with_weight(w, [&](const auto& weight) {
    using Weight = std::decay_t<decltype(weight)>;
    spmm_sum_kernel(p,
                    ColumnScaledWeight<Weight, NodeId>{weight, inverse_degree.data(), t.col_idx});
  });
}

void spmm_max(const graph::CsrView& a, const EdgeWeights& w, const Tensor& x, Tensor& out,
              std::int32_t* arg) {
  SpmmProblem<NodeId> p = make_problem(a, x, w.heads, out);
  if (arg == nullptr) {
    with_weight(w, [&](const auto& weight) { spmm_max_kernel<false>(p, weight, nullptr); });
    return;
  }
  for (Index i = 0; i < a.num_rows; ++i) {
    MOEGNN_CHECK_AS(Unsupported, "spmm",
                    a.row_ptr[i + 1] - a.row_ptr[i] <= std::numeric_limits<std::int32_t>::max(),
                    "Max over a row that is too long: row ", i, " has ",
                    a.row_ptr[i + 1] - a.row_ptr[i], " edges vs at most 2^31 - 1");
  }
  with_weight(w, [&](const auto& weight) { spmm_max_kernel<true>(p, weight, arg); });
}

void spmm_max_backward_x(const graph::CsrView& a, const EdgeWeights& w, const std::int32_t* arg,
                         const Tensor& grad_out, Tensor& grad_x) {
  with_weight(
      w, [&](const auto& weight) { max_backward_x(a, weight, w.heads, arg, grad_out, grad_x); });
}

void spmm_max_backward_weight(const graph::CsrView& a, Index heads, const std::int32_t* arg,
                              const Tensor& x, const Tensor& grad_out, Tensor& grad_w) {
  const Index width = grad_out.cols();
  const Index channels = std::max<Index>(width / heads, 1);
  const float* g = grad_out.data();
  const float* xd = x.data();
  float* gw = grad_w.data();
  // Row i's winners are row i's own edges, so a chunk of rows owns its slice of grad_w.
  detail::parallel_over_rows(a.row_ptr, a.num_rows, width, [&](Index lo, Index hi) {
    for (Index i = lo; i < hi; ++i) {
      const EdgeId b = a.row_ptr[i];
      if (b == a.row_ptr[i + 1]) continue;
      const std::int32_t* ai = arg + i * width;
      const float* gi = g + i * width;
      for (Index f = 0; f < width; ++f) {
        const EdgeId k = b + ai[f];
        gw[k * heads + f / channels] += gi[f] * xd[static_cast<Index>(a.col_idx[k]) * width + f];
      }
    }
  });
}

}  // namespace moegnn::ops::cpu
