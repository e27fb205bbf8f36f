// SPDX-License-Identifier: Apache-2.0
// CUDA SpMM (sum) behind ops::spmm (private to layers/ops; plain C++ declarations, defined in
// spmm.cu, which is compiled only with MOEGNN_WITH_CUDA). cuSPARSE's CSR SpMM with row-major dense
// operands; the descriptor, the int32 copy of row_ptr and the workspace sizes are cached per graph
// through Csr::backend_state, so they live and die with the graph.
#pragma once

#include "core/tensor.h"
#include "graph/csr.h"

namespace moegnn::ops::cuda {

// out (=, or += when `accumulate`) Σ_{k in row i} w_k · x[col_idx[k]] for every row i, on the
// device's context stream. weights: nnz floats on the device in a's edge order, or nullptr for the
// graph's own values (1 per edge when it has none). x: a.num_cols() × F, out: a.num_rows() × F, all
// on the graph's device (checked by the caller). Throws Unsupported when nnz or num_rows exceed
// INT32_MAX (cuSPARSE's CSR wants 32-bit offsets to match the 32-bit column ids), CudaError when a
// CUDA or cuSPARSE call fails.
void spmm_sum(const graph::Csr& a, const float* weights, const Tensor& x, bool accumulate,
              Tensor& out);

// out[k] = weights[order[k]]: per-edge weights (nnz × 1, on the device) put in another edge order,
// e.g. the transpose's (order = a.transpose_edge_ids()). Returns order.size() × 1 on the device.
Tensor gather_edge_weights(const Tensor& weights, const graph::EdgeIds& order);

}  // namespace moegnn::ops::cuda
