// SPDX-License-Identifier: Apache-2.0
// Batch norm and layer norm on CUDA. Column sums (batch statistics, parameter gradients) replay
// cpu::column_reduce's block order (kernels::column_sums); row statistics one thread per row with
// the CPU's lane sums; the normalisation and dx are one thread per element. The float expressions
// are the CPU kernels' (cpu/nn.cpp), so results agree to the last bit or within a few ulps where
// the compilers contract a multiply-add differently.
#include <cuda_runtime.h>

#include "core/ops/cuda/kernels.cuh"
#include "core/ops/cuda/nn.h"

namespace moegnn::ops::cuda {
namespace {

using kernels::launch;

struct Entry {  // x[i, j]
  const float* x;
  long long n;
  __device__ float operator()(long long i, long long j) const { return x[i * n + j]; }
};

struct Centred {  // (x[i, j] - mean[j])²
  const float* x;
  const float* mean;
  long long n;
  __device__ float operator()(long long i, long long j) const {
    const float d = x[i * n + j] - mean[j];
    return d * d;
  }
};

struct InverseStd {
  const float* var;
  float eps;
  float* inv_std;
  __device__ void operator()(long long j) const { inv_std[j] = 1.0f / sqrtf(var[j] + eps); }
};

struct UpdateRunning {
  const float* running_mean;
  const float* running_var;
  const float* mean;
  const float* var;
  float momentum;
  float unbias;
  float* new_mean;
  float* new_var;
  __device__ void operator()(long long j) const {
    new_mean[j] = (1.0f - momentum) * running_mean[j] + momentum * mean[j];
    new_var[j] = (1.0f - momentum) * running_var[j] + momentum * var[j] * unbias;
  }
};

struct NormalizeColumns {
  const float* x;
  const float* mean;
  const float* inv_std;
  const float* gamma;
  const float* beta;
  long long n;
  float* out;
  __device__ void operator()(long long e) const {
    const long long j = e % n;
    const float scale = inv_std[j] * gamma[j];
    out[e] = (x[e] - mean[j]) * scale + beta[j];
  }
};

// Column c < n: g[i, c]; column n + j: g[i, j]·x̂[i, j], the 2n columns of the CPU's one
// column_reduce. x̂ uses per-column statistics (batch norm) or per-row ones (layer norm).
struct GradientTerm {
  const float* x;
  const float* g;
  const float* mean;
  const float* inv_std;
  bool per_row;
  long long n;
  __device__ float operator()(long long i, long long c) const {
    if (c < n) return g[i * n + c];
    const long long j = c - n;
    const long long s = per_row ? i : j;
    return g[i * n + j] * (x[i * n + j] - mean[s]) * inv_std[s];
  }
};

struct AddParamGrads {  // dbeta += sums[0, n), dgamma += sums[n, 2n), each when not null
  const float* sums;
  long long n;
  float* dgamma;
  float* dbeta;
  __device__ void operator()(long long j) const {
    if (dbeta != nullptr) dbeta[j] += sums[j];
    if (dgamma != nullptr) dgamma[j] += sums[n + j];
  }
};

struct BatchNormDx {
  const float* x;
  const float* g;
  const float* mean;
  const float* inv_std;
  const float* gamma;
  const float* sums;
  bool training;
  long long m;
  long long n;
  float* dx;
  __device__ void operator()(long long e) const {
    const long long j = e % n;
    const float scale = gamma[j] * inv_std[j];
    const float gij = g[e];
    if (training) {  // dx = γ·σ⁻¹/m · (m·g - Σg - x̂·Σ(g·x̂))
      const auto mf = static_cast<float>(m);
      const float xhat = (x[e] - mean[j]) * inv_std[j];
      dx[e] += scale / mf * (mf * gij - sums[j] - xhat * sums[n + j]);
    } else {
      dx[e] += scale * gij;
    }
  }
};

struct LayerNormRow {
  const float* x;
  const float* gamma;
  const float* beta;
  float eps;
  long long n;
  float* out;
  float* mean;
  float* inv_std;
  struct Centred {
    const float* row;
    float mu;
    __device__ float operator()(long long j) const { return (row[j] - mu) * (row[j] - mu); }
  };
  struct Plain {
    const float* row;
    __device__ float operator()(long long j) const { return row[j]; }
  };
  __device__ void operator()(long long i) const {
    const float* row = x + i * n;
    const auto mu = static_cast<float>(kernels::lane_sum(0, n, Plain{row}) / n);
    const double ss = kernels::lane_sum(0, n, Centred{row, mu});
    const auto rs = static_cast<float>(1.0 / ::sqrt(ss / n + eps));
    for (long long j = 0; j < n; ++j) out[i * n + j] = (row[j] - mu) * rs * gamma[j] + beta[j];
    mean[i] = mu;
    inv_std[i] = rs;
  }
};

struct LayerNormDx {  // dx = σ⁻¹/n · (n·d - Σd - x̂·Σ(d·x̂)), d = g·γ; one thread per row
  const float* x;
  const float* g;
  const float* mean;
  const float* inv_std;
  const float* gamma;
  long long n;
  float* dx;
  struct D {
    const float* gi;
    const float* gamma;
    __device__ float operator()(long long j) const { return gi[j] * gamma[j]; }
  };
  struct DXhat {
    const float* gi;
    const float* gamma;
    const float* row;
    float mu;
    float rs;
    __device__ float operator()(long long j) const { return gi[j] * gamma[j] * (row[j] - mu) * rs; }
  };
  __device__ void operator()(long long i) const {
    const float* row = x + i * n;
    const float* gi = g + i * n;
    const float mu = mean[i];
    const float rs = inv_std[i];
    const auto nf = static_cast<float>(n);
    const auto sum_d = static_cast<float>(kernels::lane_sum(0, n, D{gi, gamma}));
    const auto sum_dx = static_cast<float>(kernels::lane_sum(0, n, DXhat{gi, gamma, row, mu, rs}));
    for (long long j = 0; j < n; ++j) {
      const float xhat = (row[j] - mu) * rs;
      dx[i * n + j] += rs / nf * (nf * gi[j] * gamma[j] - sum_d - xhat * sum_dx);
    }
  }
};

// dgamma/dbeta of either norm, and the sums batch norm's dx needs (returned).
kernels::DeviceArray<float> gradient_sums(const Tensor& x, const Tensor& g, const float* mean,
                                          const float* inv_std, bool per_row, float* dgamma,
                                          float* dbeta) {
  const long long n = x.cols();
  kernels::DeviceArray<float> sums(static_cast<std::size_t>(2 * n));
  kernels::column_sums(x.rows(), 2 * n, 2 * n,
                       GradientTerm{x.data(), g.data(), mean, inv_std, per_row, n}, sums.data(),
                       false);
  if (dgamma != nullptr || dbeta != nullptr)
    launch(n, AddParamGrads{sums.data(), n, dgamma, dbeta});
  return sums;
}

}  // namespace

void column_moments(const Tensor& x, float* mean, float* var) {
  const long long m = x.rows();
  const long long n = x.cols();
  const float inv_m = 1.0f / static_cast<float>(m);
  kernels::column_sums(m, n, n, Entry{x.data(), n}, mean, false, inv_m);
  // Second pass over the centred values: no cancellation as in E[x²] - E[x]².
  kernels::column_sums(m, n, n, Centred{x.data(), mean, n}, var, false, inv_m);
}

void inverse_std(const float* var, float eps, Index n, float* inv_std) {
  launch(n, InverseStd{var, eps, inv_std});
}

void update_running(const float* running_mean, const float* running_var, const float* mean,
                    const float* var, Index m, Index n, float momentum, float* new_mean,
                    float* new_var) {
  const float unbias = static_cast<float>(m) / static_cast<float>(m - 1);
  launch(n,
         UpdateRunning{running_mean, running_var, mean, var, momentum, unbias, new_mean, new_var});
}

void normalize_columns(const Tensor& x, const float* mean, const float* inv_std, const float* gamma,
                       const float* beta, Tensor& out) {
  launch(x.size(), NormalizeColumns{x.data(), mean, inv_std, gamma, beta, x.cols(), out.data()});
}

void batch_norm_backward(const Tensor& x, const Tensor& g, const float* mean, const float* inv_std,
                         const float* gamma, bool training, Tensor* dx, float* dgamma,
                         float* dbeta) {
  if (x.size() == 0) return;
  const kernels::DeviceArray<float> sums = gradient_sums(x, g, mean, inv_std, false, dgamma, dbeta);
  if (dx == nullptr) return;
  launch(x.size(), BatchNormDx{x.data(), g.data(), mean, inv_std, gamma, sums.data(), training,
                               x.rows(), x.cols(), dx->data()});
}

void layer_norm(const Tensor& x, const float* gamma, const float* beta, float eps, Tensor& out,
                float* mean, float* inv_std) {
  if (x.cols() == 0) return;
  launch(x.rows(), LayerNormRow{x.data(), gamma, beta, eps, x.cols(), out.data(), mean, inv_std});
}

void layer_norm_backward(const Tensor& x, const Tensor& g, const float* mean, const float* inv_std,
                         const float* gamma, Tensor* dx, float* dgamma, float* dbeta) {
  if (x.size() == 0) return;
  if (dgamma != nullptr || dbeta != nullptr)
    gradient_sums(x, g, mean, inv_std, true, dgamma, dbeta);
  if (dx == nullptr) return;
  launch(x.rows(), LayerNormDx{x.data(), g.data(), mean, inv_std, gamma, x.cols(), dx->data()});
}

}  // namespace moegnn::ops::cuda
