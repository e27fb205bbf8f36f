// SPDX-License-Identifier: Apache-2.0
// Sampled dense-dense products: one value per edge of a Csr, for attention logits and link scores.
// Edge k runs from source j = col_idx[k] to destination i (its row).
#pragma once

#include "core/tape.h"
#include "graph/csr.h"

namespace moegnn::ops {

// e[k, h] = <dst[i, h·C:(h+1)·C], src[j, h·C:(h+1)·C]>. dst: rows × (H·C), src: cols × (H·C)
// -> nnz × H. Throws InvalidArgument when the widths differ or are not divisible by heads.
Var sddmm_dot(Tape& tape, const graph::Csr& a, Var dst, Var src, Index heads = 1);

// e[k, h] = dst[i, h] + src[j, h] (GAT's a_dstᵀWh_i + a_srcᵀWh_j). dst: rows × H, src: cols × H
// -> nnz × H. Throws InvalidArgument when the widths differ.
Var sddmm_add(Tape& tape, const graph::Csr& a, Var dst, Var src);

// Tensor versions of the two ops above (no tape), with the same shapes and errors.
Tensor sddmm_dot(const graph::Csr& a, const Tensor& dst, const Tensor& src, Index heads = 1);
Tensor sddmm_add(const graph::Csr& a, const Tensor& dst, const Tensor& src);

}  // namespace moegnn::ops
