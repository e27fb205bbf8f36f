// SPDX-License-Identifier: Apache-2.0
// Gradient clipping: a deterministic chunked norm, then an elementwise scale or clamp.
#include "core/optim/clip.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "core/error.h"
#include "core/optim/detail/grain.h"
#include "core/parallel.h"

namespace moegnn::optim {
namespace {

void check_params(const char* function, const std::vector<Parameter*>& params) {
  std::unordered_set<const Parameter*> seen;
  for (std::size_t i = 0; i < params.size(); ++i) {
    MOEGNN_CHECK_AS(InvalidArgument, function, params[i] != nullptr, "parameter ", i,
                    " is null vs a Parameter*");
    MOEGNN_CHECK_AS(InvalidArgument, function, seen.insert(params[i]).second, "parameter ", i, " (",
                    params[i]->name, ") is listed twice vs once; it would be clipped twice");
    MOEGNN_CHECK_AS(Unsupported, function, params[i]->grad.device() == Device::Cpu, "parameter ", i,
                    " (", params[i]->name, ") has its grad on ",
                    to_string(params[i]->grad.device()), " vs cpu: no CUDA kernel yet");
  }
}

// Σ g² over [lo, hi) with eight independent accumulators (a fixed order, so still deterministic,
// but no single serial dependency chain).
double sum_of_squares(const float* g, Index lo, Index hi) {
  double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  Index i = lo;
  for (; i + 8 <= hi; i += 8)
    for (int j = 0; j < 8; ++j) acc[j] += static_cast<double>(g[i + j]) * g[i + j];
  for (int j = 0; i < hi; ++i, ++j) acc[j] += static_cast<double>(g[i]) * g[i];
  return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

}  // namespace

float clip_grad_norm(const std::vector<Parameter*>& params, float max_norm) {
  // 1. Validate.
  check_params("clip_grad_norm", params);
  MOEGNN_CHECK(max_norm >= 0.0f, "max_norm ", max_norm, " vs a value >= 0");
  // 2. The norm: per-parameter chunked sums, combined in parameter order.
  double total = 0.0;
  for (const Parameter* p : params) {
    const float* g = p->grad.data();
    total += deterministic_reduce(
        Index{0}, p->grad.size(), 0.0,
        [g](Index lo, Index hi) { return sum_of_squares(g, lo, hi); },
        [](double a, double b) { return a + b; });
  }
  const double norm = std::sqrt(total);
  MOEGNN_CHECK(
      std::isfinite(norm), "the gradient norm is ", norm,
      " vs a finite value; a gradient holds NaN or inf (check the loss and learning rate)");
  // 3. Scale only when the norm exceeds max_norm (multiplying by 1 would change nothing).
  const double coef = static_cast<double>(max_norm) / (norm + 1e-6);
  if (coef < 1.0) {
    const auto scale = static_cast<float>(coef);
    for (Parameter* p : params) {
      float* g = p->grad.data();
      parallel_for_range(
          0, p->grad.size(),
          [&](Index lo, Index hi) {
            for (Index i = lo; i < hi; ++i) g[i] *= scale;
          },
          detail::kElementGrain);
    }
  }
  return static_cast<float>(norm);
}

void clip_grad_value(const std::vector<Parameter*>& params, float clip) {
  check_params("clip_grad_value", params);
  MOEGNN_CHECK(clip >= 0.0f, "clip ", clip, " vs a value >= 0");
  for (Parameter* p : params) {
    float* g = p->grad.data();
    parallel_for_range(
        0, p->grad.size(),
        [&](Index lo, Index hi) {
          // max then min keeps NaN: both return their first argument when a comparison is false.
          for (Index i = lo; i < hi; ++i) g[i] = std::min(std::max(g[i], -clip), clip);
        },
        detail::kElementGrain);
  }
}

}  // namespace moegnn::optim
