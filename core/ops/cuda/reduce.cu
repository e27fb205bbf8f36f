// SPDX-License-Identifier: Apache-2.0
// Deterministic reductions, row softmax and argmax on CUDA. Whole-tensor reductions run as fixed
// chunks (one block each, a fixed tree inside) and one block over the partials; sums over rows
// replay cpu::column_reduce (kernels::column_sums), sums over columns run one thread per row with
// the CPU's lane sums, and maxima over rows scan each column in row order. Maxima are exact and
// keep the first maximal element under the CPU's rule (NaN is largest), which the (value, index)
// combine of kernels::better preserves in any tree.
#include <cuda_runtime.h>

#include "core/ops/cuda/kernels.cuh"
#include "core/ops/cuda/reduce.h"

namespace moegnn::ops::cuda {
namespace {

using kernels::Best;
using kernels::launch;

struct Element {
  const float* x;
  __device__ float operator()(long long e) const { return x[e]; }
};

struct Entry {  // x[i, j]
  const float* x;
  long long n;
  __device__ float operator()(long long i, long long j) const { return x[i * n + j]; }
};

struct RowSums {  // out[i] = lane_sum of row i, as cpu::sum over Cols
  const float* x;
  long long n;
  float* out;
  __device__ void operator()(long long i) const {
    out[i] = static_cast<float>(kernels::lane_sum(i * n, (i + 1) * n, Element{x}));
  }
};

__device__ long long first_max(const float* row, long long n) {
  long long best = 0;
  for (long long j = 1; j < n; ++j)
    if (kernels::beats(row[j], row[best])) best = j;
  return best;
}

struct ColumnMax {  // the first maximum of each column, scanning rows in order
  const float* x;
  long long m;
  long long n;
  float* out;
  std::int64_t* flat;
  __device__ void operator()(long long j) const {
    long long best = 0;
    for (long long i = 1; i < m; ++i)
      if (kernels::beats(x[i * n + j], x[best * n + j])) best = i;
    out[j] = x[best * n + j];
    flat[j] = best * n + j;
  }
};

struct RowMax {
  const float* x;
  long long n;
  float* out;
  std::int64_t* flat;
  __device__ void operator()(long long i) const {
    const long long j = first_max(x + i * n, n);
    out[i] = x[i * n + j];
    flat[i] = i * n + j;
  }
};

__global__ void chunk_best(const float* x, long long count, long long chunk, float* value,
                           long long* index) {
  const long long lo = static_cast<long long>(blockIdx.x) * chunk;
  const long long hi = lo + chunk < count ? lo + chunk : count;
  Best best{0.0f, -1};
  for (long long e = lo + threadIdx.x; e < hi; e += blockDim.x)
    best = kernels::better(best, Best{x[e], e});
  best = kernels::block_best(best);
  if (threadIdx.x == 0) {
    value[blockIdx.x] = best.value;
    index[blockIdx.x] = best.index;
  }
}

__global__ void finish_best(const float* value, const long long* index, int blocks, float* out,
                            std::int64_t* flat) {
  Best best{0.0f, -1};
  for (int b = static_cast<int>(threadIdx.x); b < blocks; b += blockDim.x)
    best = kernels::better(best, Best{value[b], index[b]});
  best = kernels::block_best(best);
  if (threadIdx.x == 0) {
    out[0] = best.value;
    flat[0] = best.index;
  }
}

struct MaxBackward {
  const float* g;
  const std::int64_t* flat;
  float* dx;
  __device__ void operator()(long long k) const { dx[flat[k]] += g[k]; }
};

struct SoftmaxRow {  // cpu::softmax_rows for one row per thread
  const float* x;
  long long n;
  bool log;
  float* out;
  __device__ void operator()(long long i) const {
    const float* xi = x + i * n;
    float* yi = out + i * n;
    float shift = xi[0];
    for (long long j = 1; j < n; ++j)
      if (kernels::beats(xi[j], shift)) shift = xi[j];
    for (long long j = 0; j < n; ++j) yi[j] = expf(xi[j] - shift);
    const double total = kernels::lane_sum(0, n, Element{yi});
    if (log) {
      const auto log_total = static_cast<float>(::log(total));
      for (long long j = 0; j < n; ++j) yi[j] = (xi[j] - shift) - log_total;
    } else {
      const auto inv = static_cast<float>(1.0 / total);
      for (long long j = 0; j < n; ++j) yi[j] *= inv;
    }
  }
};

struct Product {
  const float* a;
  const float* b;
  __device__ float operator()(long long j) const { return a[j] * b[j]; }
};

struct SoftmaxRowBackward {  // cpu::softmax_rows_backward for one row per thread
  const float* y;
  const float* g;
  long long n;
  bool log;
  float* dx;
  __device__ void operator()(long long i) const {
    const float* yi = y + i * n;
    const float* gi = g + i * n;
    float* di = dx + i * n;
    if (log) {  // dx = g - e^y · Σg
      const auto total = static_cast<float>(kernels::lane_sum(0, n, Element{gi}));
      for (long long j = 0; j < n; ++j) di[j] += gi[j] - expf(yi[j]) * total;
    } else {  // dx = y ⊙ (g - <g, y>)
      const auto dot = static_cast<float>(kernels::lane_sum(0, n, Product{gi, yi}));
      for (long long j = 0; j < n; ++j) di[j] += yi[j] * (gi[j] - dot);
    }
  }
};

struct ArgmaxRow {
  const float* x;
  long long n;
  std::int32_t* out;
  __device__ void operator()(long long i) const {
    out[i] = static_cast<std::int32_t>(first_max(x + i * n, n));
  }
};

}  // namespace

void sum(const Tensor& x, Axis over, Tensor& out) {
  const long long m = x.rows();
  const long long n = x.cols();
  switch (over) {
  case Axis::All: {
    const kernels::DeviceArray<double> total = kernels::sum_all(x.size(), Element{x.data()});
    launch(1, kernels::StoreTotal{total.data(), out.data(), false});
    break;
  }
  case Axis::Rows:
    kernels::column_sums(m, n, n, Entry{x.data(), n}, out.data(), false);
    break;
  case Axis::Cols:
    launch(m, RowSums{x.data(), n, out.data()});
    break;
  }
}

void max(const Tensor& x, Axis over, Tensor& out, std::int64_t* flat_device) {
  const long long m = x.rows();
  const long long n = x.cols();
  switch (over) {
  case Axis::All: {
    const kernels::SumSplit split = kernels::sum_split(x.size());
    kernels::DeviceArray<float> value(static_cast<std::size_t>(split.blocks));
    kernels::DeviceArray<long long> index(static_cast<std::size_t>(split.blocks));
    chunk_best<<<static_cast<unsigned>(split.blocks), kernels::kBlockThreads, 0,
                 kernels::stream()>>>(x.data(), x.size(), split.chunk, value.data(), index.data());
    MOEGNN_CUDA_CHECK(cudaGetLastError());
    finish_best<<<1, kernels::kBlockThreads, 0, kernels::stream()>>>(
        value.data(), index.data(), split.blocks, out.data(), flat_device);
    MOEGNN_CUDA_CHECK(cudaGetLastError());
    break;
  }
  case Axis::Rows:
    launch(n, ColumnMax{x.data(), m, n, out.data(), flat_device});
    break;
  case Axis::Cols:
    launch(m, RowMax{x.data(), n, out.data(), flat_device});
    break;
  }
}

void max_backward(const Tensor& g, const std::int64_t* flat_device, Tensor& dx) {
  launch(g.size(), MaxBackward{g.data(), flat_device, dx.data()});
}

void softmax_rows(const Tensor& x, Tensor& out, bool log) {
  if (x.cols() == 0) return;
  launch(x.rows(), SoftmaxRow{x.data(), x.cols(), log, out.data()});
}

void softmax_rows_backward(const Tensor& y, const Tensor& g, Tensor& dx, bool log) {
  if (y.cols() == 0) return;
  launch(y.rows(), SoftmaxRowBackward{y.data(), g.data(), y.cols(), log, dx.data()});
}

void argmax_rows(const Tensor& x, std::int32_t* out_device) {
  launch(x.rows(), ArgmaxRow{x.data(), x.cols(), out_device});
}

}  // namespace moegnn::ops::cuda
