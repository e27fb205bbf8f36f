// SPDX-License-Identifier: Apache-2.0
// Loss kernels: row-parallel log-sum-exp for cross-entropy, elementwise sums for the rest. Per-row
// terms are computed in parallel and then added in row order, so totals do not depend on threads.
#include "core/ops/cpu/loss.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/ops/cpu/elementwise.h"
#include "core/ops/cpu/loops.h"

namespace moegnn::ops::cpu {

double cross_entropy(const Tensor& logits, const std::int32_t* labels, const float* weight,
                     float* shift, float* log_sum) {
  const Index m = logits.rows();
  const Index c = logits.cols();
  const float* pz = logits.data();
  std::vector<float> row_loss(static_cast<std::size_t>(m), 0.0f);
  for_each_row_block(m, c, [&](Index lo, Index hi) {
    for (Index i = lo; i < hi; ++i) {
      if (weight[i] == 0.0f) continue;
      const ConstArrayMap zi(pz + i * c, c);
      shift[i] = zi.maxCoeff();  // exp(z - max) <= 1: no overflow
      log_sum[i] = std::log((zi - shift[i]).exp().sum());
      row_loss[static_cast<std::size_t>(i)] = (shift[i] - zi[labels[i]]) + log_sum[i];
    }
  });
  return chunked_sum(m, [&](Index i) { return weight[i] * row_loss[static_cast<std::size_t>(i)]; });
}

void cross_entropy_backward(const Tensor& logits, const std::int32_t* labels, const float* weight,
                            const float* shift, const float* log_sum, float scale, Tensor& dz) {
  const Index c = logits.cols();
  const float* pz = logits.data();
  float* pd = dz.data();
  for_each_row_block(logits.rows(), c, [&](Index lo, Index hi) {
    for (Index i = lo; i < hi; ++i) {
      if (weight[i] == 0.0f) continue;
      const float f = scale * weight[i];
      ArrayMap di(pd + i * c, c);
      di += f * ((ConstArrayMap(pz + i * c, c) - shift[i]) - log_sum[i]).exp();
      di[labels[i]] -= f;
    }
  });
}

double nll(const Tensor& log_probs, const std::int32_t* labels, const float* weight) {
  const Index c = log_probs.cols();
  const float* pl = log_probs.data();
  return -chunked_sum(log_probs.rows(), [&](Index i) {
    return weight[i] == 0.0f ? 0.0f : weight[i] * pl[i * c + labels[i]];
  });
}

double bce_with_logits(const Tensor& logits, const Tensor& targets) {
  const float* pz = logits.data();
  const float* pt = targets.data();
  return chunked_sum(logits.size(), [&](Index e) {
    const float z = pz[e];
    return std::max(z, 0.0f) - z * pt[e] + std::log1p(std::exp(-std::fabs(z)));
  });
}

double squared_distance(const Tensor& a, const Tensor& b) {
  const float* pa = a.data();
  const float* pb = b.data();
  return chunked_sum(a.size(), [&](Index e) {
    const float d = pa[e] - pb[e];
    return d * d;
  });
}

double squared_norm(const Tensor& a) {
  const float* pa = a.data();
  return chunked_sum(a.size(), [&](Index e) { return pa[e] * pa[e]; });
}

}  // namespace moegnn::ops::cpu
