// SPDX-License-Identifier: Apache-2.0
// Grid-stride elementwise kernels. Each element is written by one thread from its own inputs, so
// results are bit-identical run to run and equal to the CPU's (the same one float operation).
#include <cuda_runtime.h>

#include "core/cuda/check.h"
#include "core/cuda/context.h"
#include "core/ops/cuda/elementwise.h"

namespace moegnn::ops::cuda {
namespace {

template <typename Fn>
__global__ void for_each_element(long long count, Fn fn) {
  const long long stride = static_cast<long long>(gridDim.x) * blockDim.x;
  for (long long i = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x; i < count;
       i += stride)
    fn(i);
}

// fn(i) for i in [0, count) on the current device's context stream.
template <typename Fn>
void launch(long long count, Fn fn) {
  if (count == 0) return;
  const moegnn::cuda::LaunchShape shape = moegnn::cuda::elementwise_launch(count);
  for_each_element<<<shape.blocks, shape.threads, 0, moegnn::cuda::current_context().stream()>>>(
      count, fn);
  MOEGNN_CUDA_CHECK(cudaGetLastError());
}

// Functors rather than __device__ lambdas, so the module needs no --extended-lambda.
struct Relu {
  const float* x;
  float* out;
  __device__ void operator()(long long i) const { out[i] = x[i] > 0.0f ? x[i] : 0.0f; }
};
struct ReluBackward {  // the CPU rule's product, so an infinite or NaN gradient behaves the same
  const float* x;
  const float* grad_out;
  float* grad_in;
  __device__ void operator()(long long i) const {
    grad_in[i] += grad_out[i] * (x[i] > 0.0f ? 1.0f : 0.0f);
  }
};
struct Add {
  const float* a;
  const float* b;
  float* out;
  __device__ void operator()(long long i) const { out[i] = a[i] + b[i]; }
};
struct Accumulate {
  const float* src;
  float* dst;
  __device__ void operator()(long long i) const { dst[i] += src[i]; }
};

}  // namespace

void relu(const Tensor& x, Tensor& out) { launch(x.size(), Relu{x.data(), out.data()}); }

void relu_backward(const Tensor& x, const Tensor& grad_out, Tensor& grad_in) {
  launch(x.size(), ReluBackward{x.data(), grad_out.data(), grad_in.data()});
}

void add(const Tensor& a, const Tensor& b, Tensor& out) {
  launch(a.size(), Add{a.data(), b.data(), out.data()});
}

void accumulate(const Tensor& src, Tensor& dst) {
  launch(src.size(), Accumulate{src.data(), dst.data()});
}

}  // namespace moegnn::ops::cuda
