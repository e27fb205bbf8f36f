// SPDX-License-Identifier: Apache-2.0
// The recording pattern shared by every one-input elementwise op (private to core/ops): forward
// over fixed chunks, backward dx += dy ⊙ local(x, y) (dx = ... for dx's first contribution) with
// the local derivative computed from the
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
// dy ⊙ local(x, y) into dx. `from_output`: the op promises local(x, y) == local(y, y) (ReLU: x > 0
// exactly where y > 0), so the rule passes y for x (on the device too) and never reads x, which
// the tape may then free (Tape::Reads::Output).
template <typename Forward, typename Local>
Var unary(Tape& tape, const char* op, Var x, Forward forward, Local local,
          const cuda::Unary& device_fn, bool from_output = false) {
  const Tensor& xv = x.value();
  Tensor y = Tensor::empty(xv.rows(), xv.cols(), xv.device());
  on_device(
      op, xv.device(), [&] { cpu::map_chunks(xv.data(), y.data(), xv.size(), forward); },
      [&] { cuda::unary(device_fn, xv, y); });
  return tape.record(
      std::move(y), {x},
      [op, local, device_fn, from_output](Tape::Step& s) {
        if (s.grad_in[0] == nullptr) return;
        const Tensor& xv = from_output ? s.out : *s.in[0];
        on_device(
            op, s.out.device(),
            [&] {
              const float* px = xv.data();
              const float* py = s.out.data();
              const float* pg = s.grad_out.data();
              const auto dx = [&](Index e) { return pg[e] * local(px[e], py[e]); };
              if (s.fresh(0)) {
                cpu::assign_elements(s.grad_in[0]->data(), s.out.size(), dx);
              } else {
                cpu::accumulate_elements(s.grad_in[0]->data(), s.out.size(), dx);
              }
            },
            [&] { cuda::unary_backward(device_fn, xv, s.out, s.grad_out, s.zeroed(0)); });
      },
      from_output ? Tape::Reads::Output : Tape::Reads::All, Tape::Writes::Assign);
}

// The same with a scalar forward f(x) applied to each element.
template <typename F, typename Local>
Var unary_map(Tape& tape, const char* op, Var x, F f, Local local, const cuda::Unary& device_fn,
              bool from_output = false) {
  return unary(
      tape, op, x,
      [f](const float* in, float* out, Index count) {
        for (Index e = 0; e < count; ++e) out[e] = f(in[e]);
      },
      local, device_fn, from_output);
}

}  // namespace moegnn::ops::detail
