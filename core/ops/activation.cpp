// SPDX-License-Identifier: Apache-2.0
// The one-input math functions and activations of elementwise.h. Transcendentals go through Eigen's
// vectorised array functions over fixed chunks (see cpu/loops.h for why the chunks are fixed); each
// backward rule is the local derivative written in terms of the input x and the output y.

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>

#include "core/ops/cpu/elementwise.h"
#include "core/ops/cuda/elementwise.h"
#include "core/ops/detail/unary.h"
#include "core/ops/elementwise.h"

namespace moegnn::ops {
namespace {
using cpu::ArrayMap;
using cpu::ConstArrayMap;
}  // namespace

Var exp(Tape& tape, Var x) {
  return detail::unary(
      tape, "exp", x,
      [](const float* in, float* out, Index n) { ArrayMap(out, n) = ConstArrayMap(in, n).exp(); },
      [](float, float y) { return y; }, {cuda::UnaryOp::Exp});
}

Var log(Tape& tape, Var x) {
  return detail::unary(
      tape, "log", x,
      [](const float* in, float* out, Index n) { ArrayMap(out, n) = ConstArrayMap(in, n).log(); },
      [](float v, float) { return 1.0f / v; }, {cuda::UnaryOp::Log});
}

Var pow(Tape& tape, Var x, float p) {
  if (p == 2.0f)  // the common case (squares) without a libm call per element
    return detail::unary_map(
        tape, "pow", x, [](float v) { return v * v; }, [](float v, float) { return 2.0f * v; },
        {cuda::UnaryOp::Square});
  return detail::unary_map(
      tape, "pow", x, [p](float v) { return std::pow(v, p); },
      [p](float v, float) { return p * std::pow(v, p - 1.0f); }, {cuda::UnaryOp::Pow, p});
}

Var sqrt(Tape& tape, Var x) {
  return detail::unary(
      tape, "sqrt", x,
      [](const float* in, float* out, Index n) { ArrayMap(out, n) = ConstArrayMap(in, n).sqrt(); },
      [](float, float y) { return 0.5f / y; }, {cuda::UnaryOp::Sqrt});
}

Var clamp(Tape& tape, Var x, float lo, float hi) {
  MOEGNN_CHECK(lo <= hi, "bounds out of order: lo = ", lo, " vs hi = ", hi, "; need lo <= hi");
  // As PyTorch: the gradient passes where lo <= x <= hi, bounds included.
  return detail::unary_map(
      tape, "clamp", x, [lo, hi](float v) { return std::min(std::max(v, lo), hi); },
      [lo, hi](float v, float) { return v >= lo && v <= hi ? 1.0f : 0.0f; },
      {cuda::UnaryOp::Clamp, lo, hi});
}

Var relu(Tape& tape, Var x) {
  // The derivative from the output (y > 0 exactly where x > 0): the rule never reads x.
  return detail::unary_map(
      tape, "relu", x, [](float v) { return v > 0.0f ? v : 0.0f; },
      [](float v, float) { return v > 0.0f ? 1.0f : 0.0f; }, {cuda::UnaryOp::Relu},
      /*from_output=*/true);
}

Var leaky_relu(Tape& tape, Var x, float negative_slope) {
  return detail::unary_map(
      tape, "leaky_relu", x,
      [negative_slope](float v) { return v > 0.0f ? v : negative_slope * v; },
      [negative_slope](float v, float) { return v > 0.0f ? 1.0f : negative_slope; },
      {cuda::UnaryOp::LeakyRelu, negative_slope});
}

Var elu(Tape& tape, Var x, float alpha) {
  return detail::unary(
      tape, "elu", x,
      [alpha](const float* in, float* out, Index n) {
        const ConstArrayMap v(in, n);
        ArrayMap(out, n) = (v > 0.0f).select(v, alpha * v.expm1());
      },
      // For x <= 0, d/dx α(eˣ - 1) = αeˣ = y + α.
      [alpha](float v, float y) { return v > 0.0f ? 1.0f : y + alpha; },
      {cuda::UnaryOp::Elu, alpha});
}

Var gelu(Tape& tape, Var x) {
  constexpr float kInvSqrt2 = 1.0f / std::numbers::sqrt2_v<float>;
  constexpr float kInvSqrt2Pi = std::numbers::inv_sqrtpi_v<float> * kInvSqrt2;
  return detail::unary_map(
      tape, "gelu", x, [](float v) { return 0.5f * v * (1.0f + std::erf(v * kInvSqrt2)); },
      // d/dx x·Φ(x) = Φ(x) + x·φ(x)
      [](float v, float) {
        return 0.5f * (1.0f + std::erf(v * kInvSqrt2)) + v * kInvSqrt2Pi * std::exp(-0.5f * v * v);
      },
      {cuda::UnaryOp::Gelu});
}

Var sigmoid(Tape& tape, Var x) {
  return detail::unary(
      tape, "sigmoid", x,
      [](const float* in, float* out, Index n) {
        ArrayMap(out, n) = ConstArrayMap(in, n).logistic();
      },
      [](float, float y) { return y * (1.0f - y); }, {cuda::UnaryOp::Sigmoid});
}

Var tanh(Tape& tape, Var x) {
  return detail::unary(
      tape, "tanh", x,
      [](const float* in, float* out, Index n) { ArrayMap(out, n) = ConstArrayMap(in, n).tanh(); },
      [](float, float y) { return 1.0f - y * y; }, {cuda::UnaryOp::Tanh});
}

}  // namespace moegnn::ops
