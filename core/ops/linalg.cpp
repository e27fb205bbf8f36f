// SPDX-License-Identifier: Apache-2.0
// ops::matmul: shape checks, the device switch and the backward rule (the CPU kernel is in
// cpu/linalg.cpp). With C = op(A)·op(B) the gradients are products of dC with the other operand,
// transposed as the table in matmul's backward rule says; each is added straight into the gradient
// buffer by an accumulating GEMM, so no temporary is allocated.
#include "core/ops/linalg.h"

#include <utility>

#include "core/ops/cpu/linalg.h"
#include "core/ops/cuda/linalg.h"
#include "core/ops/detail/dispatch.h"

namespace moegnn::ops {
namespace {

bool left_transposed(Transpose t) { return t == Transpose::Left || t == Transpose::Both; }
bool right_transposed(Transpose t) { return t == Transpose::Right || t == Transpose::Both; }

const char* name(Transpose t) {
  switch (t) {
  case Transpose::None:
    return "None";
  case Transpose::Left:
    return "Left";
  case Transpose::Right:
    return "Right";
  case Transpose::Both:
    return "Both";
  }
  return "?";
}

// Checks devices and inner sizes; returns the output shape {m, n}.
std::pair<Index, Index> check_operands(const Tensor& a, const Tensor& b, Transpose t) {
  detail::check_same_device("matmul", a, "a", b, "b");
  const Index ka = left_transposed(t) ? a.rows() : a.cols();
  const Index kb = right_transposed(t) ? b.cols() : b.rows();
  MOEGNN_CHECK_AS(InvalidArgument, "matmul", ka == kb, "inner sizes differ: a is ",
                  a.shape_string(), " (k = ", ka, ") vs b ", b.shape_string(), " (k = ", kb,
                  ") with Transpose::", name(t));
  return {left_transposed(t) ? a.cols() : a.rows(), right_transposed(t) ? b.rows() : b.cols()};
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b, Transpose transpose) {
  const auto [m, n] = check_operands(a, b, transpose);
  Tensor out = Tensor::empty(m, n, a.device());
  detail::on_device(
      "matmul", a.device(), [&] { cpu::matmul(a, b, transpose, out, /*accumulate=*/false); },
      [&] { cuda::matmul(a, b, transpose, out, /*accumulate=*/false); });
  return out;
}

void matmul_accumulate(const Tensor& a, const Tensor& b, Tensor& out, Transpose transpose) {
  const auto [m, n] = check_operands(a, b, transpose);
  MOEGNN_CHECK(out.rows() == m && out.cols() == n, "out has shape ", out.shape_string(), " vs ", m,
               " × ", n);
  detail::check_same_device("matmul_accumulate", a, "a", out, "out");
  detail::on_device(
      "matmul_accumulate", a.device(),
      [&] { cpu::matmul(a, b, transpose, out, /*accumulate=*/true); },
      [&] { cuda::matmul(a, b, transpose, out, /*accumulate=*/true); });
}

Var matmul(Tape& tape, Var a, Var b, Transpose transpose) {
  Tensor value = matmul(a.value(), b.value(), transpose);
  return tape.record(std::move(value), {a, b}, [transpose](Tape::Step& s) {
    const Tensor& g = s.grad_out;
    const Tensor& av = *s.in[0];
    const Tensor& bv = *s.in[1];
    // grad_in[i] = x·y (a fresh buffer) or += x·y.
    const auto product = [&s](std::size_t i, const Tensor& x, const Tensor& y, Transpose t) {
      if (s.grad_in[i] == nullptr) return;
      const bool add = !s.fresh(i);
      detail::on_device(
          "matmul", x.device(), [&] { cpu::matmul(x, y, t, *s.grad_in[i], add); },
          [&] { cuda::matmul(x, y, t, *s.grad_in[i], add); });
    };
    // C = op(A)·op(B):   None: dA = dC·Bᵀ, dB = Aᵀ·dC    Left:  dA = B·dCᵀ,  dB = A·dC
    //                    Right: dA = dC·B, dB = dCᵀ·A    Both:  dA = Bᵀ·dCᵀ, dB = dCᵀ·Aᵀ
    switch (transpose) {
    case Transpose::None:
      product(0, g, bv, Transpose::Right);
      product(1, av, g, Transpose::Left);
      break;
    case Transpose::Left:
      product(0, bv, g, Transpose::Right);
      product(1, av, g, Transpose::None);
      break;
    case Transpose::Right:
      product(0, g, bv, Transpose::None);
      product(1, g, av, Transpose::Left);
      break;
    case Transpose::Both:
      product(0, bv, g, Transpose::Both);
      product(1, g, av, Transpose::Both);
      break;
    }
  }, Tape::Reads::Inputs, Tape::Writes::Assign);
}

}  // namespace moegnn::ops
