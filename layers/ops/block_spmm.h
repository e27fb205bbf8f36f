// SPDX-License-Identifier: Apache-2.0
// Block sparse × dense products: the diffusion step of sheaf neural networks. A block-CSR matrix
// shares the pattern of a square Csr (N block rows, one b × b block per stored entry) and keeps its
// values apart, as an nnz × b² tensor (dense row-major blocks) or an nnz × b tensor (diagonal
// blocks), so one pattern serves every layer while the values are recomputed. x folds the stalk
// axis into rows (STYLE §2): row n·b + i is coordinate i of node n.
//   out[u·b + i] = Σ_{k in row u} Σ_j B_k[i, j] · x[col_idx[k]·b + j]
// The backward of x reads the pattern's cached transpose (no atomics, deterministic); the backward
// of the values is a per-block inner product.
#pragma once

#include "core/tape.h"
#include "graph/csr.h"

namespace moegnn::ops {

// pattern: N × N Csr (its values are ignored); values: nnz × b² or nnz × b; x: (N·b) × C
// -> (N·b) × C. Throws InvalidArgument for block < 1, a non-square pattern, values whose shape is
// neither, x with other than N·b rows, or mixed devices; Unsupported on CUDA (no kernel yet).
Tensor block_spmm(const graph::Csr& pattern, const Tensor& values, const Tensor& x, Index block);
// The same on the tape; gradients flow to values and x.
Var block_spmm(Tape& tape, const graph::Csr& pattern, Var values, Var x, Index block);

// The same matrix as a scalar (N·b) × (N·b) Csr with values (every stored block entry, zeros of
// dense blocks included; diagonal blocks give b entries), for comparisons against ops::spmm.
// Throws InvalidArgument as block_spmm for the pattern and values.
graph::Csr expand_blocks(const graph::Csr& pattern, const Tensor& values, Index block);

}  // namespace moegnn::ops
