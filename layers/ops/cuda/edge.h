// SPDX-License-Identifier: Apache-2.0
// CUDA kernels of the per-edge ops behind ops::sddmm_* and ops::edge_softmax (private to
// layers/ops; plain C++ declarations, defined in edge.cu, compiled only with MOEGNN_WITH_CUDA).
// Semantics are those of layers/ops/cpu/sddmm.h and cpu/edge_softmax.h; every output element has
// one writer and a fixed order of additions (no atomics). Tensors are on the graph's device, in its
// edge order (nnz × H); the front ends have validated shapes.
#pragma once

#include "core/tensor.h"
#include "graph/csr.h"

namespace moegnn::ops::cuda {

// out[k, h] (=, or += when accumulate) s_i · <dst[i, head h], src[col_idx[k], head h]> for edge k
// of row i, s_i = 1 / deg(i) when mean, else 1. dst: num_rows × F, src: num_cols × F,
// out: nnz × heads. One warp per row; each dot is a fixed butterfly reduction over the warp.
void sddmm_dot(const graph::CsrView& a, const Tensor& dst, const Tensor& src, Index heads,
               bool mean, bool accumulate, Tensor& out);

// out[k, h] = dst[i, h] + src[col_idx[k], h]. dst: num_rows × H, src: num_cols × H, out: nnz × H.
void sddmm_add(const graph::CsrView& a, const Tensor& dst, const Tensor& src, Tensor& out);

// grad[r, h] += Σ_{k in row r} g[e(k), h] with e(k) = perm[k] (device), or k when perm is nullptr.
void edge_rows_sum(const graph::CsrView& a, const graph::EdgeId* perm, const Tensor& g,
                   Tensor& grad);

// out[k, h] = exp(l[k, h] - m) / Σ_{k' in row i} exp(l[k', h] - m), m the row's max for head h;
// a row whose logits are all -inf gets zeros. One thread per (row, head).
void edge_softmax(const graph::CsrView& a, const Tensor& logits, Tensor& out);

// grad[k, h] += s[k, h] · (g[k, h] - Σ_{k' in row i} s[k', h] · g[k', h]), s the forward output.
void edge_softmax_backward(const graph::CsrView& a, const Tensor& s, const Tensor& g, Tensor& grad);

}  // namespace moegnn::ops::cuda
