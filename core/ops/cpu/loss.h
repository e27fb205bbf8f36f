// SPDX-License-Identifier: Apache-2.0
// CPU kernels of loss.h (private to core/ops). Row losses are weighted by `weight` (how often each
// row was selected; 0 skips the row); every total is summed in a fixed order in double precision.
#pragma once

#include <cstdint>

#include "core/tensor.h"

namespace moegnn::ops::cpu {

// Σ_i weight[i]·(lse_i - z[i, labels[i]]) with lse_i = log Σ_j exp z[i, j] = shift_i + log_sum_i,
// shift_i = max_j z[i, j]. Writes shift and log_sum (m entries each) for rows with weight > 0; they
// are kept apart because z - shift is exact while z - lse would round at lse's magnitude.
double cross_entropy(const Tensor& logits, const std::int32_t* labels, const float* weight,
                     float* shift, float* log_sum);
// dz[i, :] += scale·weight[i]·(softmax(z_i) - onehot(labels[i])).
void cross_entropy_backward(const Tensor& logits, const std::int32_t* labels, const float* weight,
                            const float* shift, const float* log_sum, float scale, Tensor& dz);
// -Σ_i weight[i]·log_probs[i, labels[i]].
double nll(const Tensor& log_probs, const std::int32_t* labels, const float* weight);
// Σ max(z, 0) - z·t + log(1 + e^-|z|) over all elements (the stable form of BCE on logits).
double bce_with_logits(const Tensor& logits, const Tensor& targets);
// Σ (a - b)² and Σ a² over all elements.
double squared_distance(const Tensor& a, const Tensor& b);
double squared_norm(const Tensor& a);

}  // namespace moegnn::ops::cpu
