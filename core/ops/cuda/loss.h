// SPDX-License-Identifier: Apache-2.0
// CUDA loss kernels behind core/ops/loss.h (private to core/ops; plain C++ declarations, defined in
// loss.cu, which is compiled only with MOEGNN_WITH_CUDA). Totals are deterministic double sums
// (kernels::sum_all) returned to the host, where the front end checks them for NaN/inf exactly as
// on the CPU. Pointers named *_device point to device memory: labels (m entries), weight (how often
// each row is selected, 0 skips it; m entries), shift and log_sum (m entries).
#pragma once

#include <cstdint>

#include "core/tensor.h"

namespace moegnn::ops::cuda {

// Σ_i weight[i]·(shift_i - z[i, labels[i]] + log_sum_i); writes shift and log_sum for weighted
// rows.
double cross_entropy(const Tensor& logits, const std::int32_t* labels_device,
                     const float* weight_device, float* shift_device, float* log_sum_device);
// dz[i, :] += scale·weight[i]·(softmax(z_i) - onehot(labels[i])).
void cross_entropy_backward(const Tensor& logits, const std::int32_t* labels_device,
                            const float* weight_device, const float* shift_device,
                            const float* log_sum_device, float scale, Tensor& dz);
// -Σ_i weight[i]·log_probs[i, labels[i]].
double nll(const Tensor& log_probs, const std::int32_t* labels_device, const float* weight_device);
// dlp[i, labels[i]] -= scale·weight[i] for weighted rows.
void nll_backward(const std::int32_t* labels_device, const float* weight_device, float scale,
                  Tensor& dlp);
// Σ max(z, 0) - z·t + log(1 + e^-|z|), and its gradient dz += scale·(σ(z) - t).
double bce_with_logits(const Tensor& logits, const Tensor& targets);
void bce_with_logits_backward(const Tensor& logits, const Tensor& targets, float scale, Tensor& dz);
// The first element of t outside [0, 1] (NaN included), or -1 when there is none.
long long first_outside_unit(const Tensor& t);
// Σ (a - b)² and Σ a²; dp += scale·(p - t).
double squared_distance(const Tensor& a, const Tensor& b);
double squared_norm(const Tensor& a);
void squared_distance_backward(const Tensor& p, const Tensor& t, float scale, Tensor& dp);

}  // namespace moegnn::ops::cuda
