// SPDX-License-Identifier: Apache-2.0
// Reductions and row softmax on the tape. The backward of a sum or mean broadcasts the output
// gradient back over the collapsed axis; the backward of max sends it to the recorded first
// maximum.
#include "core/ops/reduce.h"

#include <utility>

#include "core/ops/cpu/elementwise.h"
#include "core/ops/cpu/reduce.h"
#include "core/ops/cuda/elementwise.h"
#include "core/ops/cuda/reduce.h"
#include "core/ops/detail/dispatch.h"

namespace moegnn::ops {
namespace {

// Shape of the result of collapsing `over`.
std::pair<Index, Index> reduced_shape(const Tensor& x, Over over) {
  switch (over) {
  case Over::All:
    return {1, 1};
  case Over::Rows:
    return {1, x.cols()};
  case Over::Cols:
    return {x.rows(), 1};
  }
  return {1, 1};
}

// How a reduced gradient lines up with the input again.
cpu::Broadcast expand(Over over) {
  switch (over) {
  case Over::All:
    return cpu::Broadcast::Scalar;
  case Over::Rows:
    return cpu::Broadcast::Row;
  case Over::Cols:
    return cpu::Broadcast::Col;
  }
  return cpu::Broadcast::Scalar;
}

cuda::Axis to_cuda(Over over) {
  switch (over) {
  case Over::All:
    return cuda::Axis::All;
  case Over::Rows:
    return cuda::Axis::Rows;
  case Over::Cols:
    return cuda::Axis::Cols;
  }
  return cuda::Axis::All;
}

cuda::Broadcast expand_cuda(Over over) {
  switch (over) {
  case Over::All:
    return cuda::Broadcast::Scalar;
  case Over::Rows:
    return cuda::Broadcast::Row;
  case Over::Cols:
    return cuda::Broadcast::Col;
  }
  return cuda::Broadcast::Scalar;
}

// Number of inputs behind each output element.
Index reduced_count(const Tensor& x, Over over) {
  switch (over) {
  case Over::All:
    return x.size();
  case Over::Rows:
    return x.rows();
  case Over::Cols:
    return x.cols();
  }
  return 1;
}

// Records `value` (a sum of x over `over`, times `scale`) with dx += scale · broadcast(dy).
Var record_scaled_sum(Tape& tape, const char* op, Var x, Tensor value, Over over, float scale) {
  return tape.record(std::move(value), {x}, [op, over, scale](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    detail::on_device(
        op, s.out.device(),
        [&] {
          const float* pg = s.grad_out.data();
          float* pd = s.grad_in[0]->data();
          cpu::for_each_broadcast(expand(over), s.in[0]->rows(), s.in[0]->cols(),
                                  [&](Index e, Index be) { pd[e] += scale * pg[be]; });
        },
        [&] { cuda::broadcast_accumulate(expand_cuda(over), s.grad_out, scale, *s.grad_in[0]); });
  });
}

// Records the row softmax (or log-softmax) of x.
Var record_softmax(Tape& tape, const char* op, Var x, bool log) {
  Tensor y = log ? log_softmax(x.value()) : softmax(x.value());
  return tape.record(std::move(y), {x}, [op, log](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    detail::on_device(
        op, s.out.device(),
        [&] { cpu::softmax_rows_backward(s.out, s.grad_out, *s.grad_in[0], log); },
        [&] { cuda::softmax_rows_backward(s.out, s.grad_out, *s.grad_in[0], log); });
  });
}

Tensor softmax_tensor(const char* op, const Tensor& x, bool log) {
  Tensor out = Tensor::empty(x.rows(), x.cols(), x.device());
  detail::on_device(
      op, x.device(), [&] { cpu::softmax_rows(x, out, log); },
      [&] { cuda::softmax_rows(x, out, log); });
  return out;
}

}  // namespace

Tensor sum(const Tensor& x, Over over) {
  const auto [rows, cols] = reduced_shape(x, over);
  Tensor out = Tensor::empty(rows, cols, x.device());
  detail::on_device(
      "sum", x.device(), [&] { cpu::sum(x, over, out); },
      [&] { cuda::sum(x, to_cuda(over), out); });
  return out;
}

Var sum(Tape& tape, Var x, Over over) {
  return record_scaled_sum(tape, "sum", x, sum(x.value(), over), over, 1.0f);
}

Var mean(Tape& tape, Var x, Over over) {
  const Tensor& xv = x.value();
  MOEGNN_CHECK(!xv.empty(), "input is empty: ", xv.shape_string(), " vs at least one element");
  const float scale = 1.0f / static_cast<float>(reduced_count(xv, over));
  Tensor value = sum(xv, over);
  if (value.device() == Device::Cpu) {
    for (Index k = 0; k < value.size(); ++k) value.data()[k] *= scale;  // at most max(m, n) values
  } else {
    Tensor scaled = Tensor::empty(value.rows(), value.cols(), value.device());
    detail::on_cuda("mean", [&] { cuda::unary({cuda::UnaryOp::MulScalar, scale}, value, scaled); });
    value = scaled;
  }
  return record_scaled_sum(tape, "mean", x, std::move(value), over, scale);
}

Var max(Tape& tape, Var x, Over over) {
  const Tensor& xv = x.value();
  MOEGNN_CHECK(!xv.empty(), "input is empty: ", xv.shape_string(), " vs at least one element");
  const auto [rows, cols] = reduced_shape(xv, over);
  IndexArray64 flat(rows * cols, xv.device());
  Tensor value = Tensor::empty(rows, cols, xv.device());
  detail::on_device(
      "max", xv.device(), [&] { cpu::max(xv, over, value, flat.data()); },
      [&] { cuda::max(xv, to_cuda(over), value, flat.data()); });
  return tape.record(std::move(value), {x}, [flat](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    detail::on_device(
        "max", s.out.device(),
        [&] {
          const std::int64_t* where = flat.data();
          const float* pg = s.grad_out.data();
          float* pd = s.grad_in[0]->data();
          for (Index k = 0; k < s.grad_out.size(); ++k) pd[where[k]] += pg[k];  // distinct targets
        },
        [&] { cuda::max_backward(s.grad_out, flat.data(), *s.grad_in[0]); });
  });
}

Var softmax(Tape& tape, Var x) { return record_softmax(tape, "softmax", x, false); }
Var log_softmax(Tape& tape, Var x) { return record_softmax(tape, "log_softmax", x, true); }
Tensor softmax(const Tensor& x) { return softmax_tensor("softmax", x, false); }
Tensor log_softmax(const Tensor& x) { return softmax_tensor("log_softmax", x, true); }

IndexArray32 argmax_rows(const Tensor& x) {
  MOEGNN_CHECK(x.cols() > 0 || x.rows() == 0, "x has ", x.rows(), " rows but no columns vs >= 1 ",
               "column to take a maximum over");
  IndexArray32 out(x.rows(), x.device());
  detail::on_device(
      "argmax_rows", x.device(), [&] { cpu::argmax_rows(x, out.data()); },
      [&] { cuda::argmax_rows(x, out.data()); });
  return out;
}

}  // namespace moegnn::ops
