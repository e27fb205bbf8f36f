// SPDX-License-Identifier: Apache-2.0
// Our own CUDA SpMM kernels behind ops::spmm (private to layers/ops; plain C++ declarations,
// defined in spmm_rows.cu, compiled only with MOEGNN_WITH_CUDA): what cuSPARSE does not do for us,
// i.e. Mean, Max with its argmax, H > 1 heads of per-edge weights, weights read through a
// permutation, and the Max backward passes. One warp per destination row, lanes over features,
// edges visited in row order by one thread per output element: deterministic, no atomics. Semantics
// are those of layers/ops/cpu/spmm.h (empty rows give 0, Max keeps the first maximal edge and -1 on
// empty rows). All pointers and tensors are on the graph's device; the front end has validated
// shapes.
#pragma once

#include <cstdint>

#include "core/tensor.h"
#include "graph/csr.h"

namespace moegnn::ops::cuda {

// Where the weight of edge k for head h comes from (device pointers).
struct EdgeWeights {
  const float* values = nullptr;        // nnz × heads, row-major; nullptr: every weight is 1
  const graph::EdgeId* perm = nullptr;  // when set, edge k reads row perm[k] of values
  Index heads = 1;
  // When set (Mean backward over a transpose): each edge is also scaled by 1 / deg(col_idx[k]) of
  // this row_ptr (the forward graph's), 0 for an empty forward row.
  const graph::EdgeId* column_mean_row_ptr = nullptr;
};

// out[i] (=, or += when accumulate) s_i · Σ_{k in row i} w(k, h) · x[col_idx[k]] per head h, with
// s_i = 1 / deg(i) when mean (0 rows stay 0), else 1. x: num_cols × F, out: num_rows × F.
void spmm_sum_rows(const graph::CsrView& a, const EdgeWeights& w, const Tensor& x, bool mean,
                   bool accumulate, Tensor& out);

// out[i, f] = max_{k in row i} w(k, h(f)) · x[col_idx[k], f], 0 for empty rows; arg (nullable,
// num_rows × F, device) receives the first maximal edge's offset k - row_ptr[i], -1 for empty rows.
void spmm_max(const graph::CsrView& a, const EdgeWeights& w, const Tensor& x, Tensor& out,
              std::int32_t* arg);

// grad_x[col_idx[k], f] += w(k, h(f)) · grad_out[i, f] for the winning edge k of each (i, f), run
// as a gather over a's cached transpose (one writer per grad_x element, rows i ascending, as on
// the CPU). w is in a's edge order (perm must be nullptr).
void spmm_max_backward_x(const graph::Csr& a, const EdgeWeights& w, const std::int32_t* arg,
                         const Tensor& grad_out, Tensor& grad_x);

// grad_w[k, h] += Σ grad_out[i, f] · x[col_idx[k], f] over the columns f of head h that edge k won.
void spmm_max_backward_weight(const graph::CsrView& a, Index heads, const std::int32_t* arg,
                              const Tensor& x, const Tensor& grad_out, Tensor& grad_w);

}  // namespace moegnn::ops::cuda
