// SPDX-License-Identifier: Apache-2.0
// CPU kernels of the block SpMM (layers/ops/block_spmm.h): row-parallel, no atomics.
#pragma once

#include "core/tensor.h"
#include "graph/csr.h"

namespace moegnn::ops::cpu {

// out (= or +=) Σ blocks · x over the rows of `a`. values are read at row position k, or at
// edge_ids[k] when edge_ids is given (the transpose's order), transposed when `transposed`.
struct BlockValues {
  const float* data = nullptr;
  Index block = 1;
  bool diagonal = false;             // nnz × b instead of nnz × b²
  const graph::EdgeId* edge_ids = nullptr;  // position -> value row, or nullptr for the identity
  bool transposed = false;           // use B_kᵀ
};
void block_spmm(const graph::CsrView& a, const BlockValues& values, const Tensor& x,
                bool accumulate, Tensor& out);

// grad_values[k][i, j] += <grad_out[u·b + i], x[col_idx[k]·b + j]> (diagonal: i == j only).
void block_spmm_grad_values(const graph::CsrView& a, Index block, bool diagonal,
                            const Tensor& grad_out, const Tensor& x, Tensor& grad_values);

}  // namespace moegnn::ops::cpu
