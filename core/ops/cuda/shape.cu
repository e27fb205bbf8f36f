// SPDX-License-Identifier: Apache-2.0
// Copies, gathers and the bucketed scatter-add on CUDA, one thread per output element. Scatter-add
// walks the destination's bucket of sources in order (the CPU's bucket_by_destination, uploaded by
// the caller), so each output element is written by one thread with the CPU's sum order.
#include <cuda_runtime.h>

#include "core/ops/cuda/kernels.cuh"
#include "core/ops/cuda/shape.h"

namespace moegnn::ops::cuda {
namespace {

using kernels::launch;

struct AddBlock {
  const float* src;
  float* dst;
  __device__ void operator()(long long e) const { dst[e] += src[e]; }
};

struct CopyCols {
  const float* from;
  long long from_cols;
  long long from_col0;
  float* to;
  long long to_cols;
  long long to_col0;
  long long cols;
  bool accumulate;
  __device__ void operator()(long long e) const {
    const long long i = e / cols;
    const long long j = e - i * cols;
    const float v = from[i * from_cols + from_col0 + j];
    float& d = to[i * to_cols + to_col0 + j];
    if (accumulate)
      d += v;
    else
      d = v;
  }
};

struct GatherRows {
  const float* x;
  const std::int32_t* index;
  long long n;
  bool accumulate;
  float* out;
  __device__ void operator()(long long e) const {
    const long long i = e / n;
    const long long j = e - i * n;
    const float v = x[static_cast<long long>(index[i]) * n + j];
    if (accumulate)
      out[e] += v;
    else
      out[e] = v;
  }
};

struct ScatterAddRows {
  const float* x;
  const std::int64_t* offsets;
  const std::int64_t* order;
  long long n;
  float* out;
  __device__ void operator()(long long e) const {
    const long long d = e / n;
    const long long j = e - d * n;
    float acc = out[e];
    for (long long k = offsets[d]; k < offsets[d + 1]; ++k)
      acc += x[(order != nullptr ? order[k] : k) * n + j];
    out[e] = acc;
  }
};

}  // namespace

void copy_block(const float* src, float* dst, Index count, bool accumulate) {
  if (count <= 0) return;
  if (accumulate) {
    launch(count, AddBlock{src, dst});
  } else {
    moegnn::cuda::copy(dst, src, static_cast<std::size_t>(count) * sizeof(float),
                       moegnn::cuda::CopyKind::DeviceToDevice);
  }
}

void copy_cols(const Tensor& from, Index from_col0, Tensor& to, Index to_col0, Index cols,
               bool accumulate) {
  if (cols <= 0) return;
  launch(to.rows() * cols, CopyCols{from.data(), from.cols(), from_col0, to.data(), to.cols(),
                                    to_col0, cols, accumulate});
}

void gather_rows(const Tensor& x, const std::int32_t* index, Tensor& out, bool accumulate) {
  if (x.cols() == 0) return;
  launch(out.size(), GatherRows{x.data(), index, x.cols(), accumulate, out.data()});
}

void scatter_add_rows(const Tensor& x, const std::int64_t* offsets, const std::int64_t* order,
                      Tensor& out) {
  if (x.cols() == 0 || x.rows() == 0) return;
  launch(out.size(), ScatterAddRows{x.data(), offsets, order, x.cols(), out.data()});
}

}  // namespace moegnn::ops::cuda
