// SPDX-License-Identifier: Apache-2.0
// CPU kernels of the SDDMM family (private to layers/ops): one value per edge from the features of
// its two end points, and the per-row edge sums their backward passes need. Inputs are validated by
// the front ends; tensors are CPU, row-major, contiguous.
#pragma once

#include "core/tensor.h"
#include "graph/csr.h"

namespace moegnn::ops::cpu {

// out[k, h] += s_i · <dst[i, head h], src[col_idx[k], head h]> for edge k of row i, where s_i is
// 1 / deg(i) when mean and 1 otherwise. dst: num_rows × F, src: num_cols × F, out: nnz × heads.
void sddmm_dot(const graph::CsrView& a, const Tensor& dst, const Tensor& src, Index heads,
               bool mean, Tensor& out);

// out[k, h] = dst[i, h] + src[col_idx[k], h]. dst: num_rows × H, src: num_cols × H, out: nnz × H.
void sddmm_add(const graph::CsrView& a, const Tensor& dst, const Tensor& src, Tensor& out);

// grad[r, h] += Σ_{k in row r} g[e(k), h] with e(k) = perm[k], or k when perm is nullptr.
// g: nnz × H, grad: num_rows × H. With a's transpose and its edge ids this is sddmm_add's gradient
// for src; with a itself, for dst.
void edge_rows_sum(const graph::CsrView& a, const graph::EdgeId* perm, const Tensor& g,
                   Tensor& grad);

}  // namespace moegnn::ops::cpu
