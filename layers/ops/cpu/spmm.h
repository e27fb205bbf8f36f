// SPDX-License-Identifier: Apache-2.0
// CPU entry points of the SpMM family (private to layers/ops). Inputs are validated by the front
// ends in layers/ops/*.cpp; these functions only compute. Tensors are CPU, row-major, contiguous.
#pragma once

#include <cstdint>

#include "core/tensor.h"
#include "graph/csr.h"

namespace moegnn::ops::cpu {

// Where the weight of edge k for head h comes from.
struct EdgeWeights {
  const float* values = nullptr;        // nnz × heads, row-major; nullptr: every weight is 1
  const graph::EdgeId* perm = nullptr;  // when set, edge k reads row perm[k] of values
  Index heads = 1;
};

// out[i] (=, or += when accumulate) Σ_{k in row i} w(k, h) · x[col_idx[k]] per head h, divided by
// deg(i) when mean. x: a.num_cols × F, out: a.num_rows × F, F divisible by w.heads.
void spmm_sum(const graph::CsrView& a, const EdgeWeights& w, const Tensor& x, bool mean,
              bool accumulate, Tensor& out);

// grad_x += Aᵀ · grad_out for spmm_sum (grad_x = ... when not `accumulate`), run as an SpMM over
// the transpose t (no atomics). w is
// indexed by t's edges. mean_row_ptr: the forward graph's row_ptr when the forward was a mean
// (each edge is then scaled by 1 / deg of its forward row), otherwise nullptr.
void spmm_sum_backward_x(const graph::CsrView& t, const EdgeWeights& w,
                         const graph::EdgeId* mean_row_ptr, const Tensor& grad_out, Tensor& grad_x,
                         bool accumulate = true);

// out[i, f] = max_{k in row i} w(k, h(f)) · x[col_idx[k], f], 0 for empty rows. arg (nullable,
// a.num_rows × F) receives the winner's offset k - row_ptr[i], -1 for empty rows. Every row must
// have at most INT32_MAX edges.
void spmm_max(const graph::CsrView& a, const EdgeWeights& w, const Tensor& x, Tensor& out,
              std::int32_t* arg);

// grad_x[col_idx[k], f] += w(k, h(f)) · grad_out[i, f] for the winning edge k of each (i, f).
// Parallel over column blocks, rows in order: deterministic without atomics.
void spmm_max_backward_x(const graph::CsrView& a, const EdgeWeights& w, const std::int32_t* arg,
                         const Tensor& grad_out, Tensor& grad_x);

// grad_w[k, h] += Σ grad_out[i, f] · x[col_idx[k], f] over the columns f of head h that edge k won.
void spmm_max_backward_weight(const graph::CsrView& a, Index heads, const std::int32_t* arg,
                              const Tensor& x, const Tensor& grad_out, Tensor& grad_w);

}  // namespace moegnn::ops::cpu
