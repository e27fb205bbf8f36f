// SPDX-License-Identifier: Apache-2.0
// CPU kernels of edge_softmax (private to layers/ops). Validated by the front end; tensors are CPU,
// row-major, contiguous, nnz × H in the graph's edge order.
#pragma once

#include "core/tensor.h"
#include "graph/csr.h"

namespace moegnn::ops::cpu {

// out[k, h] = exp(l[k, h] - m) / Σ_{k' in row i} exp(l[k', h] - m), m the row's max for head h.
// A row whose logits are all -inf gets zeros.
void edge_softmax(const graph::CsrView& a, const Tensor& logits, Tensor& out);

// grad[k, h] += s[k, h] · (g[k, h] - Σ_{k' in row i} s[k', h] · g[k', h]), s the forward output.
void edge_softmax_backward(const graph::CsrView& a, const Tensor& s, const Tensor& g, Tensor& grad);

}  // namespace moegnn::ops::cpu
