// SPDX-License-Identifier: Apache-2.0
// Sparse × dense products over a Csr: the aggregation step of message passing.
// out[i] = reduce_{k in row i} w_k · x[col_idx[k]], with w_k = a.values()[k] (or 1 when the graph has
// no values). Sum and Mean (sum divided by the row's edge count; 0 for an empty row) and Max (0 for an
// empty row; the argmax is kept for backward). CPU kernels use no atomics: the backward of x reads the
// cached transpose, so results are bit-identical on any thread count.
#pragma once

#include "core/tape.h"
#include "graph/csr.h"

namespace moegnn::ops {

enum class Reduce { Sum, Mean, Max };

// a: rows × cols; x: cols × F -> rows × F. Throws InvalidArgument on shape or device mismatch.
// On CUDA every reduction, head count and gradient runs on the device (Sum with one weight per edge
// through cuSPARSE, the rest through our own kernels); Max under a recording tape throws
// Unsupported there for a graph over INT32_MAX edges (its argmax offsets are int32).
Tensor spmm(const graph::Csr& a, const Tensor& x, Reduce reduce = Reduce::Sum);
Var spmm(Tape& tape, const graph::Csr& a, Var x, Reduce reduce = Reduce::Sum);

// Per-edge weights that are themselves differentiable (attention): edge_weight is nnz × H and
// x is cols × (H·C); head h multiplies columns [h·C, (h+1)·C) of x by edge_weight[:, h].
// Returns rows × (H·C). a.values() is ignored. Gradients flow to both edge_weight and x.
Var spmm(Tape& tape, const graph::Csr& a, Var edge_weight, Var x, Reduce reduce = Reduce::Sum);
// The same without a tape. edge_weight: nnz × H, x: cols × (H·C) -> rows × (H·C). Throws
// InvalidArgument on shape or device mismatch or when H does not divide x's width.
Tensor spmm(const graph::Csr& a, const Tensor& edge_weight, const Tensor& x,
            Reduce reduce = Reduce::Sum);

}  // namespace moegnn::ops
