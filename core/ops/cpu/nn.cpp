// SPDX-License-Identifier: Apache-2.0
// Dropout and normalisation kernels. Dropout draws its mask from a pure function of (key, element),
// so forward and backward agree without storing the mask and any thread count draws the same one.
// Column statistics and parameter gradients go through column_reduce (fixed row blocks, partials
// added in order); row statistics are per-row loops. Both are bit-identical on any thread count.
#include "core/ops/cpu/nn.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/ops/cpu/elementwise.h"
#include "core/ops/cpu/loops.h"
#include "core/rng.h"

namespace moegnn::ops::cpu {
namespace {

// keep(e) ⇔ Rng::to_unit(bits) >= p ⇔ (bits >> 40) >= ⌈p·2²⁴⌉: to_unit is (bits >> 40)·2⁻²⁴
// exactly, so the integer test draws the same mask without a conversion per element.
std::uint64_t keep_threshold(float p) {
  return static_cast<std::uint64_t>(std::ceil(static_cast<double>(p) * 16777216.0));
}

template <bool kAccumulate>
void apply_mask(const float* in, float* out, Index size, std::uint64_t key, float p) {
  const std::uint64_t threshold = keep_threshold(p);
  const float scale = 1.0f / (1.0f - p);
  for_each_chunk(size, [=](Index lo, Index hi) {
    // Branch-free: the dropped value is cleared with a bit mask (exactly +0.0f, as before), so
    // the loop vectorises; a branch on a random keep bit mispredicts half the time.
    for (Index e = lo; e < hi; ++e) {
      const bool keep = (Rng::bits(key, static_cast<std::uint64_t>(e)) >> 40) >= threshold;
      const std::uint32_t mask = 0u - static_cast<std::uint32_t>(keep);
      const float v = std::bit_cast<float>(std::bit_cast<std::uint32_t>(in[e] * scale) & mask);
      if constexpr (kAccumulate) {
        out[e] += v;
      } else {
        out[e] = v;
      }
    }
  });
}

}  // namespace

void dropout(const Tensor& x, std::uint64_t key, float p, Tensor& out) {
  apply_mask<false>(x.data(), out.data(), x.size(), key, p);
}

void dropout_backward(const Tensor& g, std::uint64_t key, float p, Tensor& dx, bool accumulate) {
  if (accumulate) {
    apply_mask<true>(g.data(), dx.data(), g.size(), key, p);
  } else {
    apply_mask<false>(g.data(), dx.data(), g.size(), key, p);
  }
}

void column_moments(const Tensor& x, float* mean, float* var) {
  const Index m = x.rows();
  const Index n = x.cols();
  const float* px = x.data();
  const float inv_m = 1.0f / static_cast<float>(m);
  column_reduce(m, n, mean, [&](Index i, float* acc) {
    for (Index j = 0; j < n; ++j) acc[j] += px[i * n + j];
  });
  for (Index j = 0; j < n; ++j) mean[j] *= inv_m;
  // Second pass over the centred values: no cancellation as in E[x²] - E[x]².
  column_reduce(m, n, var, [&](Index i, float* acc) {
    for (Index j = 0; j < n; ++j) {
      const float d = px[i * n + j] - mean[j];
      acc[j] += d * d;
    }
  });
  for (Index j = 0; j < n; ++j) var[j] *= inv_m;
}

void normalize_columns(const Tensor& x, const float* mean, const float* inv_std, const float* gamma,
                       const float* beta, Tensor& out) {
  const Index n = x.cols();
  std::vector<float> scale(static_cast<std::size_t>(n));
  for (Index j = 0; j < n; ++j) scale[static_cast<std::size_t>(j)] = inv_std[j] * gamma[j];
  const float* px = x.data();
  const float* ps = scale.data();
  float* po = out.data();
  for_each_row_block(x.rows(), n, [&](Index lo, Index hi) {
    for (Index i = lo; i < hi; ++i)
      for (Index j = 0; j < n; ++j) po[i * n + j] = (px[i * n + j] - mean[j]) * ps[j] + beta[j];
  });
}

void batch_norm_backward(const Tensor& x, const Tensor& g, const float* mean, const float* inv_std,
                         const float* gamma, bool training, Tensor* dx, float* dgamma,
                         float* dbeta, bool accumulate_dx) {
  const Index m = x.rows();
  const Index n = x.cols();
  const float* px = x.data();
  const float* pg = g.data();
  // sums[0, n) = Σ_i g, sums[n, 2n) = Σ_i g·x̂ (each column in a fixed order).
  std::vector<float> sums(static_cast<std::size_t>(2 * n));
  column_reduce(m, 2 * n, sums.data(), [&](Index i, float* acc) {
    for (Index j = 0; j < n; ++j) {
      const float gij = pg[i * n + j];
      acc[j] += gij;
      acc[n + j] += gij * (px[i * n + j] - mean[j]) * inv_std[j];
    }
  });
  const float* sum_g = sums.data();
  const float* sum_gx = sums.data() + n;
  for (Index j = 0; j < n; ++j) {
    if (dbeta != nullptr) dbeta[j] += sum_g[j];
    if (dgamma != nullptr) dgamma[j] += sum_gx[j];
  }
  if (dx == nullptr) return;
  float* pd = dx->data();
  const auto mf = static_cast<float>(m);
  // Per column, the factors every row uses (the same expressions as per element, so the same bits).
  std::vector<float> factors(static_cast<std::size_t>(n));
  for (Index j = 0; j < n; ++j) {
    const float scale = gamma[j] * inv_std[j];
    factors[static_cast<std::size_t>(j)] = training ? scale / mf : scale;
  }
  const float* factor = factors.data();
  const auto rows = [&]<bool kTraining, bool kAccumulate>(Index lo, Index hi) {
    for (Index i = lo; i < hi; ++i)
      for (Index j = 0; j < n; ++j) {
        const float gij = pg[i * n + j];
        float v;
        if constexpr (kTraining) {  // dx = γ·σ⁻¹/m · (m·g - Σg - x̂·Σ(g·x̂))
          const float xhat = (px[i * n + j] - mean[j]) * inv_std[j];
          v = factor[j] * (mf * gij - sum_g[j] - xhat * sum_gx[j]);
        } else {
          v = factor[j] * gij;
        }
        if constexpr (kAccumulate) {
          pd[i * n + j] += v;
        } else {
          pd[i * n + j] = v;
        }
      }
  };
  for_each_row_block(m, n, [&](Index lo, Index hi) {
    if (training) {
      if (accumulate_dx) rows.template operator()<true, true>(lo, hi);
      else rows.template operator()<true, false>(lo, hi);
    } else {
      if (accumulate_dx) rows.template operator()<false, true>(lo, hi);
      else rows.template operator()<false, false>(lo, hi);
    }
  });
}

void layer_norm(const Tensor& x, const float* gamma, const float* beta, float eps, Tensor& out,
                float* mean, float* inv_std) {
  const Index n = x.cols();
  const float* px = x.data();
  float* po = out.data();
  for_each_row_block(x.rows(), n, [&](Index lo, Index hi) {
    for (Index i = lo; i < hi; ++i) {
      const float* row = px + i * n;
      const auto mu = static_cast<float>(lane_sum(0, n, [&](Index j) { return row[j]; }) / n);
      const double ss = lane_sum(0, n, [&](Index j) { return (row[j] - mu) * (row[j] - mu); });
      const auto rs = static_cast<float>(1.0 / std::sqrt(ss / n + eps));
      for (Index j = 0; j < n; ++j) po[i * n + j] = (row[j] - mu) * rs * gamma[j] + beta[j];
      mean[i] = mu;
      inv_std[i] = rs;
    }
  });
}

void layer_norm_backward(const Tensor& x, const Tensor& g, const float* mean, const float* inv_std,
                         const float* gamma, Tensor* dx, float* dgamma, float* dbeta) {
  const Index m = x.rows();
  const Index n = x.cols();
  const float* px = x.data();
  const float* pg = g.data();
  if (dgamma != nullptr || dbeta != nullptr) {
    std::vector<float> sums(static_cast<std::size_t>(2 * n));
    column_reduce(m, 2 * n, sums.data(), [&](Index i, float* acc) {
      for (Index j = 0; j < n; ++j) {
        acc[j] += pg[i * n + j];
        acc[n + j] += pg[i * n + j] * (px[i * n + j] - mean[i]) * inv_std[i];
      }
    });
    for (Index j = 0; j < n; ++j) {
      if (dbeta != nullptr) dbeta[j] += sums[static_cast<std::size_t>(j)];
      if (dgamma != nullptr) dgamma[j] += sums[static_cast<std::size_t>(n + j)];
    }
  }
  if (dx == nullptr) return;
  float* pd = dx->data();
  const auto nf = static_cast<float>(n);
  for_each_row_block(m, n, [&](Index lo, Index hi) {
    for (Index i = lo; i < hi; ++i) {
      const float* row = px + i * n;
      const float* gi = pg + i * n;
      const float mu = mean[i];
      const float rs = inv_std[i];
      // With d = g·γ: dx = σ⁻¹/n · (n·d - Σd - x̂·Σ(d·x̂)).
      const auto sum_d =
          static_cast<float>(lane_sum(0, n, [&](Index j) { return gi[j] * gamma[j]; }));
      const auto sum_dx = static_cast<float>(
          lane_sum(0, n, [&](Index j) { return gi[j] * gamma[j] * (row[j] - mu) * rs; }));
      for (Index j = 0; j < n; ++j) {
        const float xhat = (row[j] - mu) * rs;
        pd[i * n + j] += rs / nf * (nf * gi[j] * gamma[j] - sum_d - xhat * sum_dx);
      }
    }
  });
}

}  // namespace moegnn::ops::cpu
