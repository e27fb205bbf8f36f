// SPDX-License-Identifier: Apache-2.0
// edge_softmax front end: validation, device dispatch and the backward rule, which reads the
// forward output (s ⊙ (g − Σ_row s ⊙ g)), so nothing extra is kept.
#include "layers/ops/edge_softmax.h"

#include "layers/ops/cpu/edge_softmax.h"
#include "layers/ops/cuda/edge.h"
#include "layers/ops/detail/checks.h"
#include "core/dispatch.h"

namespace moegnn::ops {

Tensor edge_softmax(const graph::Csr& a, const Tensor& logits) {
  detail::check_rows("edge_softmax", "logits", logits, a.num_edges(), "a.num_edges()");
  detail::check_device("edge_softmax", "logits", logits.device(), a.device());
  return detail::on_device(
      "edge_softmax", a.device(),
      [&] {
        Tensor out = Tensor::zeros(logits.rows(), logits.cols());
        cpu::edge_softmax(a.view(), logits, out);
        return out;
      },
      [&] {  // every edge belongs to a row, so the kernel writes every entry
        Tensor out = Tensor::empty(logits.rows(), logits.cols(), a.device());
        cuda::edge_softmax(a.view(), logits, out);
        return out;
      });
}

Var edge_softmax(Tape& tape, const graph::Csr& a, Var logits) {
  const Tensor out = edge_softmax(a, logits.value());
  return tape.record(out, {logits}, [a](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    detail::on_device(
        "edge_softmax", a.device(),
        [&] { cpu::edge_softmax_backward(a.view(), s.out, s.grad_out, *s.grad_in[0]); },
        [&] { cuda::edge_softmax_backward(a.view(), s.out, s.grad_out, *s.grad_in[0]); });
  });
}

}  // namespace moegnn::ops
