// SPDX-License-Identifier: Apache-2.0
// Binary arithmetic with a broadcast right operand, and the scalar ops. The gradient of a broadcast
// operand is the sum of the output gradient over the broadcast axes, taken in a fixed order
// (cpu::reduce_broadcast), so it is bit-identical on any thread count.
#include "core/ops/elementwise.h"

#include <utility>

#include "core/ops/cpu/elementwise.h"
#include "core/ops/cuda/elementwise.h"
#include "core/ops/detail/dispatch.h"
#include "core/ops/detail/unary.h"

namespace moegnn::ops {
namespace {

using cpu::Broadcast;

// How b broadcasts onto a; throws InvalidArgument naming `op` for any other shape or a device
// mismatch.
Broadcast classify(const char* op, const Tensor& a, const Tensor& b) {
  detail::check_same_device(op, a, "a", b, "b");
  if (a.same_shape(b)) return Broadcast::Full;
  if (b.rows() == 1 && b.cols() == a.cols()) return Broadcast::Row;
  if (b.cols() == 1 && b.rows() == a.rows()) return Broadcast::Col;
  if (b.rows() == 1 && b.cols() == 1) return Broadcast::Scalar;
  MOEGNN_FAIL(InvalidArgument, op, "b has shape ", b.shape_string(), " vs a ", a.shape_string(),
              "; b must be m × n, 1 × n, m × 1 or 1 × 1 for a of m × n");
}

cuda::Broadcast to_cuda(Broadcast mode) {
  switch (mode) {
  case Broadcast::Full:
    return cuda::Broadcast::Full;
  case Broadcast::Row:
    return cuda::Broadcast::Row;
  case Broadcast::Col:
    return cuda::Broadcast::Col;
  case Broadcast::Scalar:
    return cuda::Broadcast::Scalar;
  }
  return cuda::Broadcast::Full;
}

// out = f(a, b). Backward: da += fa(a, b, out, dout); db += Σ fb(a, b, out, dout) over the elements
// b is broadcast onto. On CUDA, `device_op` names the same f, fa and fb (cuda/elementwise.cu).
template <typename F, typename FA, typename FB>
Var binary(Tape& tape, const char* op, Var a, Var b, F f, FA fa, FB fb, cuda::BinaryOp device_op) {
  const Tensor& av = a.value();
  const Tensor& bv = b.value();
  const Broadcast mode = classify(op, av, bv);
  Tensor out = Tensor::empty(av.rows(), av.cols(), av.device());
  detail::on_device(
      op, av.device(),
      [&] {
        const float* pa = av.data();
        const float* pb = bv.data();
        float* po = out.data();
        cpu::for_each_broadcast(mode, av.rows(), av.cols(),
                                [&](Index e, Index be) { po[e] = f(pa[e], pb[be]); });
      },
      [&] { cuda::binary(device_op, to_cuda(mode), av, bv, out); });
  return tape.record(std::move(out), {a, b}, [op, mode, fa, fb, device_op](Tape::Step& s) {
    detail::on_device(
        op, s.out.device(),
        [&] {
          const Index m = s.out.rows();
          const Index n = s.out.cols();
          const float* pa = s.in[0]->data();
          const float* pb = s.in[1]->data();
          const float* po = s.out.data();
          const float* pg = s.grad_out.data();
          if (s.grad_in[0] != nullptr) {
            float* ga = s.grad_in[0]->data();
            if (s.fresh(0)) {
              cpu::for_each_broadcast(
                  mode, m, n, [&](Index e, Index be) { ga[e] = fa(pa[e], pb[be], po[e], pg[e]); });
            } else {
              cpu::for_each_broadcast(mode, m, n, [&](Index e, Index be) {
                ga[e] += fa(pa[e], pb[be], po[e], pg[e]);
              });
            }
          }
          if (s.grad_in[1] != nullptr) {
            cpu::reduce_broadcast(mode, m, n, s.zeroed(1).data(), [&](Index e, Index be) {
              return fb(pa[e], pb[be], po[e], pg[e]);
            });
          }
        },
        [&] {
          if (s.grad_in[0] != nullptr) s.zeroed(0);
          if (s.grad_in[1] != nullptr) s.zeroed(1);
          cuda::binary_backward(device_op, to_cuda(mode), *s.in[0], *s.in[1], s.out, s.grad_out,
                                s.grad_in[0], s.grad_in[1]);
        });
  }, Tape::Reads::All, Tape::Writes::Assign);
}

}  // namespace

Var add(Tape& tape, Var a, Var b) {
  return binary(
      tape, "add", a, b, [](float x, float y) { return x + y; },
      [](float, float, float, float g) { return g; },
      [](float, float, float, float g) { return g; }, cuda::BinaryOp::Add);
}

Var sub(Tape& tape, Var a, Var b) {
  return binary(
      tape, "sub", a, b, [](float x, float y) { return x - y; },
      [](float, float, float, float g) { return g; },
      [](float, float, float, float g) { return -g; }, cuda::BinaryOp::Sub);
}

Var mul(Tape& tape, Var a, Var b) {
  return binary(
      tape, "mul", a, b, [](float x, float y) { return x * y; },
      [](float, float y, float, float g) { return g * y; },
      [](float x, float, float, float g) { return g * x; }, cuda::BinaryOp::Mul);
}

Var div(Tape& tape, Var a, Var b) {
  // d(x/y)/dy = -x/y² = -out/y, which reuses the output instead of squaring y.
  return binary(
      tape, "div", a, b, [](float x, float y) { return x / y; },
      [](float, float y, float, float g) { return g / y; },
      [](float, float y, float out, float g) { return -g * out / y; }, cuda::BinaryOp::Div);
}

Var add_bias(Tape& tape, Var x, Var bias) {
  detail::check_row_vector("add_bias", bias.value(), "bias", x.cols());
  return binary(
      tape, "add_bias", x, bias, [](float v, float c) { return v + c; },
      [](float, float, float, float g) { return g; },
      [](float, float, float, float g) { return g; }, cuda::BinaryOp::Add);
}

Var add_bias_(Tape& tape, Var x, Var bias) {
  constexpr const char* kOp = "add_bias_";
  detail::check_row_vector(kOp, bias.value(), "bias", x.cols());
  const Broadcast mode = classify(kOp, x.value(), bias.value());
  Tensor value = tape.take_value(x, kOp);
  const Tensor& bv = bias.value();
  detail::on_device(
      kOp, value.device(),
      [&] {
        float* pv = value.data();
        const float* pb = bv.data();
        cpu::for_each_broadcast(mode, value.rows(), value.cols(),
                                [&](Index e, Index be) { pv[e] += pb[be]; });
      },
      [&] { cuda::binary(cuda::BinaryOp::Add, to_cuda(mode), value, bv, value); });
  // The rule reads only the output gradient: d(x + b)/dx = 1, d/db = column sums.
  return tape.record(
      std::move(value), {x, bias},
      [mode](Tape::Step& s) {
        const Tensor& g = s.grad_out;
        if (s.grad_in[0] != nullptr) s.pass_through(0);
        if (s.grad_in[1] == nullptr) return;
        s.zeroed(1);
        detail::on_device(
            kOp, g.device(),
            [&] {
              const float* pg = g.data();
              cpu::reduce_broadcast(mode, g.rows(), g.cols(), s.grad_in[1]->data(),
                                    [&](Index e, Index) { return pg[e]; });
            },
            // Add's bias gradient reads grad_out alone; g stands in for the freed x and output.
            [&] {
              cuda::binary_backward(cuda::BinaryOp::Add, to_cuda(mode), g, *s.in[1], g, g, nullptr,
                                    s.grad_in[1]);
            });
      },
      Tape::Reads::Nothing, Tape::Writes::Assign);
}

Var add_scalar(Tape& tape, Var x, float value) {
  return detail::unary_map(
      tape, "add_scalar", x, [value](float v) { return v + value; },
      [](float, float) { return 1.0f; }, {cuda::UnaryOp::AddScalar, value});
}

Var mul_scalar(Tape& tape, Var x, float value) {
  return detail::unary_map(
      tape, "mul_scalar", x, [value](float v) { return v * value; },
      [value](float, float) { return value; }, {cuda::UnaryOp::MulScalar, value});
}

Var neg(Tape& tape, Var x) {
  return detail::unary_map(
      tape, "neg", x, [](float v) { return -v; }, [](float, float) { return -1.0f; },
      {cuda::UnaryOp::Neg});
}

}  // namespace moegnn::ops
