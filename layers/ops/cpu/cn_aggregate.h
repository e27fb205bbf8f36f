// SPDX-License-Identifier: Apache-2.0
// CPU kernel of cn_aggregate (private to layers/ops): a weighted row gather-sum over a CSR.
#pragma once

#include "core/tensor.h"
#include "graph/csr.h"

namespace moegnn::ops::cpu {

// out[r] (+)= Σ_{k in row r} w_k · x[col_idx[k]], w_k = weights[perm ? perm[k] : k] or 1 when
// weights is null. accumulate: add into out instead of overwriting it. Rows run in parallel.
void gather_sum(const graph::CsrView& c, const float* weights, const graph::EdgeId* perm,
                const Tensor& x, Tensor& out, bool accumulate);

// dx[col_idx[k]] += w_k · dout[r] over every entry k of every row r, w_k = weights[k] or 1: the
// backward of gather_sum without C's transpose. One task per block of dx's columns, each visiting
// the rows in order, so every dx element sums its terms in ascending r, the order of a gather over
// the transpose (the same bits on any thread count). The block is as wide as keeps its slice of dx
// (dx.rows() × block floats) within half the last-level cache, at least 16 floats, and narrow
// enough to give every thread a block.
void scatter_sum(const graph::CsrView& c, const float* weights, const Tensor& dout, Tensor& dx);

// Whether scatter_sum beats a gather over the transpose: dx's slice of the narrowest block
// (dx_rows × 16 floats) fits the last-level cache, so the scatter's writes stay cached.
bool scatter_fits_cache(Index dx_rows);

}  // namespace moegnn::ops::cpu
