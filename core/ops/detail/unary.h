// SPDX-License-Identifier: Apache-2.0
// The recording pattern shared by every one-input elementwise op (private to core/ops): forward
// over fixed chunks, backward dx += dy ⊙ local(x, y) with the local derivative computed from the
// input and the output, so no extra tensor is kept alive for the backward pass. On CUDA the same
// function runs as the kernel named by `device_fn` (cuda/elementwise.h), the device copy of the
// CPU lambdas.
#pragma once

#include <utility>

#include "core/ops/cpu/elementwise.h"
#include "core/ops/cuda/elementwise.h"
#include "core/ops/detail/dispatch.h"
#include "core/tape.h"

namespace moegnn::ops::detail {

// y = forward chunk by chunk (forward(const float* in, float* out, Index count)); the rule adds
// dy ⊙ local(x, y) into dx.
template <typename Forward, typename Local>
Var unary(Tape& tape, const char* op, Var x, Forward forward, Local local,
          const cuda::Unary& device_fn) {
  const Tensor& xv = x.value();
  Tensor y = Tensor::empty(xv.rows(), xv.cols(), xv.device());
  on_device(
      op, xv.device(), [&] { cpu::map_chunks(xv.data(), y.data(), xv.size(), forward); },
      [&] { cuda::unary(device_fn, xv, y); });
  return tape.record(std::move(y), {x}, [op, local, device_fn](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    on_device(
        op, s.out.device(),
        [&] {
          const float* px = s.in[0]->data();
          const float* py = s.out.data();
          const float* pg = s.grad_out.data();
          cpu::accumulate_elements(s.grad_in[0]->data(), s.out.size(),
                                   [&](Index e) { return pg[e] * local(px[e], py[e]); });
        },
        [&] { cuda::unary_backward(device_fn, *s.in[0], s.out, s.grad_out, *s.grad_in[0]); });
  });
}

// The same with a scalar forward f(x) applied to each element.
template <typename F, typename Local>
Var unary_map(Tape& tape, const char* op, Var x, F f, Local local, const cuda::Unary& device_fn) {
  return unary(
      tape, op, x,
      [f](const float* in, float* out, Index count) {
        for (Index e = 0; e < count; ++e) out[e] = f(in[e]);
      },
      local, device_fn);
}

}  // namespace moegnn::ops::detail
