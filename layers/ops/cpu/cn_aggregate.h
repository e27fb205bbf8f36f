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

}  // namespace moegnn::ops::cpu
