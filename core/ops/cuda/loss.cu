// SPDX-License-Identifier: Apache-2.0
// Loss kernels on CUDA: one thread per row for the log-sum-exp of cross-entropy, one thread per
// element for the gradients, and deterministic double totals (kernels::sum_all: fixed chunks and
// trees, no atomics) copied to the host, where the front end applies the CPU's non-finite check.
#include <cuda_runtime.h>

#include "core/ops/cuda/kernels.cuh"
#include "core/ops/cuda/loss.h"

namespace moegnn::ops::cuda {
namespace {

using kernels::launch;

struct RowLogSumExp {  // shift_i = max_j z, log_sum_i = log Σ_j exp(z - shift_i), weighted rows
                       // only
  const float* z;
  long long c;
  const float* weight;
  float* shift;
  float* log_sum;
  __device__ void operator()(long long i) const {
    if (weight[i] == 0.0f) return;
    const float* zi = z + i * c;
    float best = zi[0];
    for (long long j = 1; j < c; ++j)
      if (kernels::beats(zi[j], best)) best = zi[j];
    double total = 0.0;
    for (long long j = 0; j < c; ++j) total += static_cast<double>(expf(zi[j] - best));
    shift[i] = best;
    log_sum[i] = logf(static_cast<float>(total));
  }
};

struct CrossEntropyTerm {  // weight[i]·((shift_i - z[i, label]) + log_sum_i), 0 for unused rows
  const float* z;
  long long c;
  const std::int32_t* labels;
  const float* weight;
  const float* shift;
  const float* log_sum;
  __device__ float operator()(long long i) const {
    if (weight[i] == 0.0f) return 0.0f;
    return weight[i] * ((shift[i] - z[i * c + labels[i]]) + log_sum[i]);
  }
};

struct CrossEntropyBackward {  // one thread per element; the label's -f after the softmax term
  const float* z;
  long long c;
  const std::int32_t* labels;
  const float* weight;
  const float* shift;
  const float* log_sum;
  float scale;
  float* dz;
  __device__ void operator()(long long e) const {
    const long long i = e / c;
    if (weight[i] == 0.0f) return;
    const float f = scale * weight[i];
    float d = dz[e] + f * expf((z[e] - shift[i]) - log_sum[i]);
    if (e - i * c == labels[i]) d -= f;
    dz[e] = d;
  }
};

struct NllTerm {
  const float* lp;
  long long c;
  const std::int32_t* labels;
  const float* weight;
  __device__ float operator()(long long i) const {
    return weight[i] == 0.0f ? 0.0f : weight[i] * lp[i * c + labels[i]];
  }
};

struct NllBackward {  // one thread per row: each row's one label element
  long long c;
  const std::int32_t* labels;
  const float* weight;
  float scale;
  float* dlp;
  __device__ void operator()(long long i) const {
    if (weight[i] != 0.0f) dlp[i * c + labels[i]] -= scale * weight[i];
  }
};

struct BceTerm {
  const float* z;
  const float* t;
  __device__ float operator()(long long e) const {
    const float v = z[e];
    return (v < 0.0f ? 0.0f : v) - v * t[e] + log1pf(expf(-fabsf(v)));  // std::max(v, 0)
  }
};

struct BceBackward {
  const float* z;
  const float* t;
  float scale;
  float* dz;
  __device__ void operator()(long long e) const {
    dz[e] += scale * (1.0f / (1.0f + expf(-z[e])) - t[e]);
  }
};

struct OutsideUnit {
  const float* t;
  __device__ float operator()(long long e) const {
    return t[e] >= 0.0f && t[e] <= 1.0f ? 0.0f : 1.0f;
  }
};

struct SquaredDifference {
  const float* a;
  const float* b;  // null: Σ a²
  __device__ float operator()(long long e) const {
    const float d = b != nullptr ? a[e] - b[e] : a[e];
    return d * d;
  }
};

struct MseBackward {
  const float* p;
  const float* t;
  float scale;
  float* dp;
  __device__ void operator()(long long e) const { dp[e] += scale * (p[e] - t[e]); }
};

double host_total(const kernels::DeviceArray<double>& total) { return total.to_host()[0]; }

}  // namespace

double cross_entropy(const Tensor& logits, const std::int32_t* labels_device,
                     const float* weight_device, float* shift_device, float* log_sum_device) {
  const long long m = logits.rows();
  const long long c = logits.cols();
  launch(m, RowLogSumExp{logits.data(), c, weight_device, shift_device, log_sum_device});
  return host_total(
      kernels::sum_all(m, CrossEntropyTerm{logits.data(), c, labels_device, weight_device,
                                           shift_device, log_sum_device}));
}

void cross_entropy_backward(const Tensor& logits, const std::int32_t* labels_device,
                            const float* weight_device, const float* shift_device,
                            const float* log_sum_device, float scale, Tensor& dz) {
  launch(logits.size(),
         CrossEntropyBackward{logits.data(), logits.cols(), labels_device, weight_device,
                              shift_device, log_sum_device, scale, dz.data()});
}

double nll(const Tensor& log_probs, const std::int32_t* labels_device, const float* weight_device) {
  return -host_total(kernels::sum_all(
      log_probs.rows(), NllTerm{log_probs.data(), log_probs.cols(), labels_device, weight_device}));
}

void nll_backward(const std::int32_t* labels_device, const float* weight_device, float scale,
                  Tensor& dlp) {
  launch(dlp.rows(), NllBackward{dlp.cols(), labels_device, weight_device, scale, dlp.data()});
}

double bce_with_logits(const Tensor& logits, const Tensor& targets) {
  return host_total(kernels::sum_all(logits.size(), BceTerm{logits.data(), targets.data()}));
}

void bce_with_logits_backward(const Tensor& logits, const Tensor& targets, float scale,
                              Tensor& dz) {
  launch(logits.size(), BceBackward{logits.data(), targets.data(), scale, dz.data()});
}

long long first_outside_unit(const Tensor& t) {
  if (host_total(kernels::sum_all(t.size(), OutsideUnit{t.data()})) == 0.0) return -1;
  const Tensor host = t.to(Device::Cpu);  // the error path only: find the first one
  for (Index e = 0; e < host.size(); ++e) {
    const float v = host.data()[e];
    if (!(v >= 0.0f && v <= 1.0f)) return e;
  }
  return -1;
}

double squared_distance(const Tensor& a, const Tensor& b) {
  return host_total(kernels::sum_all(a.size(), SquaredDifference{a.data(), b.data()}));
}

double squared_norm(const Tensor& a) {
  return host_total(kernels::sum_all(a.size(), SquaredDifference{a.data(), nullptr}));
}

void squared_distance_backward(const Tensor& p, const Tensor& t, float scale, Tensor& dp) {
  launch(p.size(), MseBackward{p.data(), t.data(), scale, dp.data()});
}

}  // namespace moegnn::ops::cuda
