// SPDX-License-Identifier: Apache-2.0
// CUDA elementwise kernels behind core/ops/elementwise.h and activation.cpp, the tape's gradient
// accumulation, the broadcast backward of the reductions and dropout (private to core; plain C++
// declarations, defined in elementwise.cu, which is compiled only with MOEGNN_WITH_CUDA). All run
// on the device's context stream; shapes and devices are checked by the callers. Each kernel does
// the CPU's float operations on the same operands; gradients of broadcast operands are summed in
// the CPU's order (column_reduce per column, lane sums per row), so results match bit for bit
// unless the compilers contract a multiply-add differently.
#pragma once

#include <cstdint>

#include "core/tensor.h"

namespace moegnn::ops::cuda {

// The one-input functions, with their parameters a and b (unused ones are ignored).
enum class UnaryOp {
  AddScalar,  // x + a
  MulScalar,  // x · a
  Neg,
  Exp,
  Log,
  Square,  // pow with p = 2
  Pow,     // x^a
  Sqrt,
  Clamp,  // into [a, b]
  Relu,
  LeakyRelu,  // slope a
  Elu,        // alpha a
  Gelu,
  Sigmoid,
  Tanh,
};
struct Unary {
  UnaryOp op;
  float a = 0.0f;
  float b = 0.0f;
};

// out = f(x).
void unary(const Unary& f, const Tensor& x, Tensor& out);
// grad_in += grad_out ⊙ f'(x), with f' written in terms of x and the output y (as the CPU rules).
void unary_backward(const Unary& f, const Tensor& x, const Tensor& y, const Tensor& grad_out,
                    Tensor& grad_in);

enum class BinaryOp { Add, Sub, Mul, Div };
// How b lines up with a (m × n): m × n, 1 × n, m × 1 or 1 × 1 (cpu::Broadcast's cases).
enum class Broadcast { Full, Row, Col, Scalar };

// out = a ∘ b with b broadcast onto a.
void binary(BinaryOp op, Broadcast mode, const Tensor& a, const Tensor& b, Tensor& out);
// grad_a += ∂out/∂a ⊙ grad_out (when not null); grad_b += the same for b, summed over the elements
// b is broadcast onto (when not null).
void binary_backward(BinaryOp op, Broadcast mode, const Tensor& a, const Tensor& b,
                     const Tensor& out, const Tensor& grad_out, Tensor* grad_a, Tensor* grad_b);

// dx[e] += scale · g[be], g broadcast onto dx per `mode` (the backward of sum and mean).
void broadcast_accumulate(Broadcast mode, const Tensor& g, float scale, Tensor& dx);

// out = x ⊙ mask / (1 - p), mask[e] = (Rng::bits(key, e) >> 40) >= threshold, the CPU's mask;
// threshold = ⌈p·2²⁴⌉ and scale = 1 / (1 - p) come from the caller.
void dropout(const Tensor& x, std::uint64_t key, std::uint64_t threshold, float scale, Tensor& out);
// dx += g ⊙ mask / (1 - p), the same mask.
void dropout_backward(const Tensor& g, std::uint64_t key, std::uint64_t threshold, float scale,
                      Tensor& dx);

// dst += src, of one shape.
void accumulate(const Tensor& src, Tensor& dst);
// dst[e] += scale · src[e], of one shape (the backward of the mean losses and l2_penalty).
void accumulate_scaled(const Tensor& src, float scale, Tensor& dst);

}  // namespace moegnn::ops::cuda
