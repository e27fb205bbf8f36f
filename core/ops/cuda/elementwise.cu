// SPDX-License-Identifier: Apache-2.0
// Grid-stride elementwise kernels. Each element is written by one thread from its own inputs, so
// results are bit-identical run to run; arithmetic ops do the CPU's one float operation and match
// it exactly, transcendentals (CUDA's expf, logf, tanhf, erff against Eigen's vectorised ones)
// within a few ulps. Gradients of broadcast operands are sums in the order of the CPU kernel
// (cpu::reduce_broadcast: column_reduce's blocks, lane sums per row, a double total), no atomics.
#include <cuda_runtime.h>

#include "core/ops/cuda/elementwise.h"
#include "core/ops/cuda/kernels.cuh"

namespace moegnn::ops::cuda {
namespace {

using kernels::launch;

constexpr float kInvSqrt2 = 0.70710678118654752440f;                // 1/√2, as std::numbers
constexpr float kInvSqrt2Pi = 0.56418958354775628695f * kInvSqrt2;  // 1/√(2π), same rounding

__device__ float unary_value(const Unary& f, float v) {
  switch (f.op) {
  case UnaryOp::AddScalar:
    return v + f.a;
  case UnaryOp::MulScalar:
    return v * f.a;
  case UnaryOp::Neg:
    return -v;
  case UnaryOp::Exp:
    return expf(v);
  case UnaryOp::Log:
    return logf(v);
  case UnaryOp::Square:
    return v * v;
  case UnaryOp::Pow:
    return powf(v, f.a);
  case UnaryOp::Sqrt:
    return sqrtf(v);
  case UnaryOp::Clamp: {  // std::min(std::max(v, lo), hi): a NaN stays NaN
    const float t = v < f.a ? f.a : v;
    return f.b < t ? f.b : t;
  }
  case UnaryOp::Relu:
    return v > 0.0f ? v : 0.0f;
  case UnaryOp::LeakyRelu:
    return v > 0.0f ? v : f.a * v;
  case UnaryOp::Elu:
    return v > 0.0f ? v : f.a * expm1f(v);
  case UnaryOp::Gelu:
    return 0.5f * v * (1.0f + erff(v * kInvSqrt2));
  case UnaryOp::Sigmoid:
    return 1.0f / (1.0f + expf(-v));
  case UnaryOp::Tanh:
    return tanhf(v);
  }
  return v;
}

// The local derivative from the input v and the output y (activation.cpp's rules).
__device__ float unary_local(const Unary& f, float v, float y) {
  switch (f.op) {
  case UnaryOp::AddScalar:
    return 1.0f;
  case UnaryOp::MulScalar:
    return f.a;
  case UnaryOp::Neg:
    return -1.0f;
  case UnaryOp::Exp:
    return y;
  case UnaryOp::Log:
    return 1.0f / v;
  case UnaryOp::Square:
    return 2.0f * v;
  case UnaryOp::Pow:
    return f.a * powf(v, f.a - 1.0f);
  case UnaryOp::Sqrt:
    return 0.5f / y;
  case UnaryOp::Clamp:
    return v >= f.a && v <= f.b ? 1.0f : 0.0f;
  case UnaryOp::Relu:
    return v > 0.0f ? 1.0f : 0.0f;
  case UnaryOp::LeakyRelu:
    return v > 0.0f ? 1.0f : f.a;
  case UnaryOp::Elu:
    return v > 0.0f ? 1.0f : y + f.a;
  case UnaryOp::Gelu:
    return 0.5f * (1.0f + erff(v * kInvSqrt2)) + v * kInvSqrt2Pi * expf(-0.5f * v * v);
  case UnaryOp::Sigmoid:
    return y * (1.0f - y);
  case UnaryOp::Tanh:
    return 1.0f - y * y;
  }
  return 0.0f;
}

struct UnaryForward {
  Unary f;
  const float* x;
  float* out;
  __device__ void operator()(long long i) const { out[i] = unary_value(f, x[i]); }
};
struct UnaryBackward {
  Unary f;
  const float* x;
  const float* y;
  const float* g;
  float* dx;
  __device__ void operator()(long long i) const { dx[i] += g[i] * unary_local(f, x[i], y[i]); }
};

// Index of b's element broadcast onto element e of an m × n tensor.
__device__ inline long long broadcast_index(Broadcast mode, long long e, long long n) {
  switch (mode) {
  case Broadcast::Full:
    return e;
  case Broadcast::Row:
    return e % n;
  case Broadcast::Col:
    return e / n;
  case Broadcast::Scalar:
    return 0;
  }
  return 0;
}

__device__ inline float binary_value(BinaryOp op, float x, float y) {
  switch (op) {
  case BinaryOp::Add:
    return x + y;
  case BinaryOp::Sub:
    return x - y;
  case BinaryOp::Mul:
    return x * y;
  case BinaryOp::Div:
    return x / y;
  }
  return x;
}
// ∂out/∂a · g and ∂out/∂b · g, as elementwise.cpp's fa and fb.
__device__ inline float binary_grad_a(BinaryOp op, float y, float g) {
  switch (op) {
  case BinaryOp::Add:
  case BinaryOp::Sub:
    return g;
  case BinaryOp::Mul:
    return g * y;
  case BinaryOp::Div:
    return g / y;
  }
  return g;
}
__device__ inline float binary_grad_b(BinaryOp op, float x, float y, float out, float g) {
  switch (op) {
  case BinaryOp::Add:
    return g;
  case BinaryOp::Sub:
    return -g;
  case BinaryOp::Mul:
    return g * x;
  case BinaryOp::Div:
    return -g * out / y;
  }
  return g;
}

struct BinaryForward {
  BinaryOp op;
  Broadcast mode;
  long long n;
  const float* a;
  const float* b;
  float* out;
  __device__ void operator()(long long e) const {
    out[e] = binary_value(op, a[e], b[broadcast_index(mode, e, n)]);
  }
};
struct BinaryGradA {
  BinaryOp op;
  Broadcast mode;
  long long n;
  const float* b;
  const float* g;
  float* da;
  __device__ void operator()(long long e) const {
    da[e] += binary_grad_a(op, b[broadcast_index(mode, e, n)], g[e]);
  }
};

// fb(e) of one binary op: b's gradient term at element e.
struct GradB {
  BinaryOp op;
  Broadcast mode;
  long long n;
  const float* a;
  const float* b;
  const float* out;
  const float* g;
  __device__ float operator()(long long e) const {
    return binary_grad_b(op, a[e], b[broadcast_index(mode, e, n)], out[e], g[e]);
  }
};
struct FullReduce {  // gb[e] += fb(e)
  GradB fb;
  float* gb;
  __device__ void operator()(long long e) const { gb[e] += fb(e); }
};
struct RowTerm {  // fb at row i, column j: the terms of b's gradient for a 1 × n b
  GradB fb;
  __device__ float operator()(long long i, long long j) const { return fb(i * fb.n + j); }
};
struct ColReduce {  // gb[i] += lane_sum over row i of fb; one thread per row
  GradB fb;
  float* gb;
  __device__ void operator()(long long i) const {
    const GradB f = fb;
    gb[i] += static_cast<float>(kernels::lane_sum(i * f.n, (i + 1) * f.n, f));
  }
};

struct BroadcastAccumulate {  // dx[e] += scale · g[be]
  Broadcast mode;
  long long n;
  const float* g;
  float scale;
  float* dx;
  __device__ void operator()(long long e) const { dx[e] += scale * g[broadcast_index(mode, e, n)]; }
};

// SplitMix64 twice: Rng::bits of core/rng.h, bit for bit.
__device__ inline std::uint64_t mix(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
__device__ inline bool keep(std::uint64_t key, long long e, std::uint64_t threshold) {
  const std::uint64_t bits = mix(
      mix(key) ^ (static_cast<std::uint64_t>(e) * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL));
  return (bits >> 40) >= threshold;
}
struct Dropout {  // a dropped element is +0.0f, as the CPU's bit mask gives
  const float* in;
  float* out;
  std::uint64_t key;
  std::uint64_t threshold;
  float scale;
  bool accumulate;
  __device__ void operator()(long long e) const {
    const float v = keep(key, e, threshold) ? in[e] * scale : 0.0f;
    if (accumulate)
      out[e] += v;
    else
      out[e] = v;
  }
};

struct AccumulateScaled {
  const float* src;
  float scale;
  float* dst;
  bool plain;  // dst += src without the product (the tape's accumulation)
  __device__ void operator()(long long i) const { dst[i] += plain ? src[i] : scale * src[i]; }
};

}  // namespace

void unary(const Unary& f, const Tensor& x, Tensor& out) {
  launch(x.size(), UnaryForward{f, x.data(), out.data()});
}

void unary_backward(const Unary& f, const Tensor& x, const Tensor& y, const Tensor& grad_out,
                    Tensor& grad_in) {
  launch(x.size(), UnaryBackward{f, x.data(), y.data(), grad_out.data(), grad_in.data()});
}

void binary(BinaryOp op, Broadcast mode, const Tensor& a, const Tensor& b, Tensor& out) {
  launch(a.size(), BinaryForward{op, mode, a.cols(), a.data(), b.data(), out.data()});
}

void binary_backward(BinaryOp op, Broadcast mode, const Tensor& a, const Tensor& b,
                     const Tensor& out, const Tensor& grad_out, Tensor* grad_a, Tensor* grad_b) {
  const long long m = a.rows();
  const long long n = a.cols();
  if (grad_a != nullptr)
    launch(a.size(), BinaryGradA{op, mode, n, b.data(), grad_out.data(), grad_a->data()});
  if (grad_b == nullptr || a.size() == 0) return;
  const GradB fb{op, mode, n, a.data(), b.data(), out.data(), grad_out.data()};
  switch (mode) {
  case Broadcast::Full:
    launch(a.size(), FullReduce{fb, grad_b->data()});
    break;
  case Broadcast::Row:
    kernels::column_sums(m, n, n, RowTerm{fb}, grad_b->data(), true);
    break;
  case Broadcast::Col:
    launch(m, ColReduce{fb, grad_b->data()});
    break;
  case Broadcast::Scalar: {  // cpu::chunked_sum: double terms, rounded once, added in float
    const kernels::DeviceArray<double> total = kernels::sum_all(a.size(), fb);
    launch(1, kernels::StoreTotal{total.data(), grad_b->data(), true});
    break;
  }
  }
}

void broadcast_accumulate(Broadcast mode, const Tensor& g, float scale, Tensor& dx) {
  launch(dx.size(), BroadcastAccumulate{mode, dx.cols(), g.data(), scale, dx.data()});
}

void dropout(const Tensor& x, std::uint64_t key, std::uint64_t threshold, float scale,
             Tensor& out) {
  launch(x.size(), Dropout{x.data(), out.data(), key, threshold, scale, false});
}

void dropout_backward(const Tensor& g, std::uint64_t key, std::uint64_t threshold, float scale,
                      Tensor& dx) {
  launch(g.size(), Dropout{g.data(), dx.data(), key, threshold, scale, true});
}

void accumulate(const Tensor& src, Tensor& dst) {
  launch(src.size(), AccumulateScaled{src.data(), 1.0f, dst.data(), true});
}

void accumulate_scaled(const Tensor& src, float scale, Tensor& dst) {
  launch(src.size(), AccumulateScaled{src.data(), scale, dst.data(), false});
}

}  // namespace moegnn::ops::cuda
