// SPDX-License-Identifier: Apache-2.0
// segment_sum / segment_mean / segment_max front ends: offset validation, device dispatch and backward rules
// (the gradient of a segment reduction broadcasts each segment's gradient back to its rows).
// Device offsets are validated on a host copy (S + 1 values), as cheap checks always run.
#include "layers/ops/segment.h"

#include <memory>
#include <utility>
#include <vector>

#include "layers/ops/cpu/segment.h"
#include "layers/ops/cuda/segment.h"
#include "layers/ops/detail/checks.h"
#include "core/dispatch.h"

namespace moegnn::ops {
namespace {

Tensor reduce(const char* op, const graph::EdgeIds& offsets, const Tensor& x, bool mean) {
  detail::check_offsets(op, offsets, x.rows(), x.device());
  const Index segments = offsets.size() - 1;
  return detail::on_device(
      op, x.device(),
      [&] {
        Tensor out = Tensor::empty(segments, x.cols());
        cpu::segment_reduce(offsets.data(), segments, x, mean, out);
        return out;
      },
      [&] {
        detail::check_offsets(op, offsets.to(Device::Cpu), x.rows(), Device::Cpu);
        Tensor out = Tensor::empty(segments, x.cols(), x.device());
        cuda::segment_reduce(offsets.data(), segments, x, mean, out);
        return out;
      });
}

Var record(Tape& tape, const char* op, const graph::EdgeIds& offsets, Var x, bool mean) {
  const Tensor out = reduce(op, offsets, x.value(), mean);
  return tape.record(out, {x}, [op, offsets, mean](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    const Index segments = offsets.size() - 1;
    detail::on_device(
        op, offsets.device(),
        [&] {
          cpu::segment_broadcast(offsets.data(), segments, s.grad_out, mean, *s.grad_in[0],
                                 !s.fresh(0));
        },
        [&] {
          cuda::segment_broadcast(offsets.data(), segments, s.grad_out, mean, s.zeroed(0));
        });
  }, Tape::Reads::All, Tape::Writes::Assign);
}

// The max and, per output entry, the row it came from (for the backward rule).
std::pair<Tensor, std::shared_ptr<std::vector<graph::EdgeId>>> max_with_arg(
    const graph::EdgeIds& offsets, const Tensor& x) {
  detail::check_offsets("segment_max", offsets, x.rows(), x.device());
  const Index segments = offsets.size() - 1;
  return detail::on_device("segment_max", x.device(), [&] {
    Tensor out = Tensor::empty(segments, x.cols());
    auto arg = std::make_shared<std::vector<graph::EdgeId>>(
        static_cast<std::size_t>(segments * x.cols()));
    cpu::segment_max(offsets.data(), segments, x, out, arg->data());
    return std::pair{out, arg};
  });
}

}  // namespace

Tensor segment_max(const graph::EdgeIds& offsets, const Tensor& x) {
  return max_with_arg(offsets, x).first;
}
Var segment_max(Tape& tape, const graph::EdgeIds& offsets, Var x) {
  auto [out, arg] = max_with_arg(offsets, x.value());
  const Index segments = offsets.size() - 1;
  return tape.record(out, {x}, [arg = std::move(arg), segments](Tape::Step& s) {
    if (s.grad_in[0] != nullptr)
      cpu::segment_max_backward(arg->data(), segments, s.grad_out, *s.grad_in[0]);
  });
}

Tensor segment_sum(const graph::EdgeIds& offsets, const Tensor& x) {
  return reduce("segment_sum", offsets, x, false);
}
Tensor segment_mean(const graph::EdgeIds& offsets, const Tensor& x) {
  return reduce("segment_mean", offsets, x, true);
}
Var segment_sum(Tape& tape, const graph::EdgeIds& offsets, Var x) {
  return record(tape, "segment_sum", offsets, x, false);
}
Var segment_mean(Tape& tape, const graph::EdgeIds& offsets, Var x) {
  return record(tape, "segment_mean", offsets, x, true);
}

}  // namespace moegnn::ops
