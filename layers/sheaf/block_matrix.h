// SPDX-License-Identifier: Apache-2.0
// Batched small square matrices on the tape: a tensor of m rows, each one d × d matrix stored
// row-major in d² columns (the restriction maps of m edges, or the stalk blocks of m nodes). These
// are the products, transposes and matrix functions the sheaf Laplacians (sheaf_laplacian.h) are
// built from; each op's backward rule sits next to its forward (STYLE §2). CPU only.
#pragma once

#include "core/tape.h"

namespace moegnn::layers::sheaf {

// m × d² identity blocks.
Tensor block_eye(Index m, Index d);

// out_k = op(a_k) · op(b_k), op = transpose where asked. a, b: m × d² -> m × d². Throws
// InvalidArgument on d < 1 or shapes other than m × d².
Var block_matmul(Tape& tape, Var a, Var b, Index d, bool transpose_a = false,
                 bool transpose_b = false);
// out_k = a_kᵀ. a: m × d² -> m × d².
Var block_transpose(Tape& tape, Var a, Index d);
// out_k = a_k^power for symmetric positive semi-definite a_k, through its eigendecomposition
// (eigenvalues below 1e-6 · the largest are treated as 0 and stay 0). The backward uses the
// Daleckii–Krein formula, with f'(λ) for (nearly) equal eigenvalues, so repeated eigenvalues need
// no random jitter. a: m × d² -> m × d².
Var block_sym_pow(Tape& tape, Var a, Index d, float power);

// A view of x as rows × cols (rows · cols == x's size); the gradient is reshaped back.
Var reshape(Tape& tape, Var x, Index rows, Index cols);

}  // namespace moegnn::layers::sheaf
