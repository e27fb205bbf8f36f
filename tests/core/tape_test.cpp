// SPDX-License-Identifier: Apache-2.0
// Tape bookkeeping: leaves, accumulation into parameters, inference mode, misuse errors.
#include "core/tape.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace moegnn {
namespace {

// y = 3 · x recorded by hand, so this test does not depend on core/ops.
Var triple(Tape& tape, Var x) {
  Tensor out = x.value().clone();
  for (Index i = 0; i < out.size(); ++i) out.data()[i] *= 3.0f;
  return tape.record(out, {x}, [](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    for (Index i = 0; i < s.grad_out.size(); ++i) s.grad_in[0]->data()[i] += 3.0f * s.grad_out.data()[i];
  });
}

TEST(Tape, AccumulatesIntoParameterGrad) {
  Parameter p(Tensor::scalar(2.0f), "p");
  Tape tape;
  const Var x = tape.param(p);
  tape.backward(triple(tape, triple(tape, x)));
  EXPECT_FLOAT_EQ(p.grad.item(), 9.0f);
  Tape second;
  second.backward(triple(second, second.param(p)));
  EXPECT_FLOAT_EQ(p.grad.item(), 12.0f);  // accumulates until zero_grad
  p.zero_grad();
  EXPECT_FLOAT_EQ(p.grad.item(), 0.0f);
}

TEST(Tape, ConstantsGetNoGradient) {
  Tape tape;
  const Var c = tape.constant(Tensor::scalar(1.0f));
  const Var y = triple(tape, c);
  EXPECT_FALSE(y.requires_grad());
  tape.backward(y);
  EXPECT_THROW(c.grad(), InvalidArgument);
}

TEST(Tape, InferenceModeRecordsNoRules) {
  Parameter p(Tensor::scalar(1.0f));
  Tape tape(Tape::Mode::Inference);
  const Var y = triple(tape, tape.param(p));
  EXPECT_FLOAT_EQ(y.value().item(), 3.0f);
  EXPECT_FALSE(y.requires_grad());
  EXPECT_THROW(tape.backward(y), InvalidArgument);
}

TEST(Tape, RejectsNonScalarLossAndSecondBackward) {
  Parameter p(Tensor::zeros(2, 2));
  Tape tape;
  const Var y = triple(tape, tape.param(p));
  EXPECT_THROW(tape.backward(y), InvalidArgument);
  Parameter q(Tensor::scalar(1.0f));
  const Var z = triple(tape, tape.param(q));
  tape.backward(z);
  EXPECT_THROW(tape.backward(z), InvalidArgument);
}

TEST(Tape, RejectsVarFromAnotherTape) {
  Tape a;
  Tape b;
  const Var x = a.constant(Tensor::scalar(1.0f));
  EXPECT_THROW(b.record(Tensor::scalar(1.0f), {x}, nullptr), InvalidArgument);
}

}  // namespace
}  // namespace moegnn
