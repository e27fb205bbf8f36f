// SPDX-License-Identifier: Apache-2.0
// Tape bookkeeping: leaves, accumulation into parameters, inference mode, misuse errors.
#include "core/tape.h"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/host_cache.h"

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

// sum of all elements (1 × 1) recorded by hand.
Var ops_free_sum(Tape& tape, Var x) {
  float total = 0.0f;
  for (Index i = 0; i < x.value().size(); ++i) total += x.value().data()[i];
  return tape.record(Tensor::scalar(total), {x}, [](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    for (Index i = 0; i < s.grad_in[0]->size(); ++i) s.grad_in[0]->data()[i] += s.grad_out.item();
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

// y = a + b recorded with Writes::Assign; `seen` logs fresh(0), fresh(1) of each run of the rule.
Var assigning_add(Tape& tape, Var a, Var b, std::vector<std::pair<bool, bool>>& seen) {
  Tensor out = a.value().clone();
  for (Index i = 0; i < out.size(); ++i) out.data()[i] += b.value().data()[i];
  return tape.record(
      out, {a, b},
      [&seen](Tape::Step& s) {
        seen.emplace_back(s.grad_in[0] != nullptr && s.fresh(0),
                          s.grad_in[1] != nullptr && s.fresh(1));
        for (std::size_t k = 0; k < 2; ++k) {
          if (s.grad_in[k] == nullptr) continue;
          float* g = s.grad_in[k]->data();
          for (Index i = 0; i < s.grad_out.size(); ++i)
            g[i] = (s.fresh(k) ? 0.0f : g[i]) + s.grad_out.data()[i];
          s.fresh_in[k] = 0;
        }
      },
      Tape::Reads::Nothing, Tape::Writes::Assign);
}

TEST(Tape, AssigningRulesGetFreshBuffersOnlyForAFirstContribution) {
  Parameter p(Tensor::from_rows({{1.0f, 2.0f}}), "p");
  p.grad.fill(5.0f);  // a parameter's gradient accumulates: never fresh
  std::vector<std::pair<bool, bool>> seen;
  Tape tape;
  const Var w = tape.param(p);
  const Var x = triple(tape, w);            // x feeds two rules
  const Var y = assigning_add(tape, x, w, seen);  // runs second: x already has a gradient
  const Var z = assigning_add(tape, x, x, seen);  // x twice: never fresh
  const Var loss = assigning_add(tape, y, z, seen);
  tape.backward(triple(tape, ops_free_sum(tape, loss)));
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], std::make_pair(true, true));    // loss = y + z: both first contributions
  EXPECT_EQ(seen[1], std::make_pair(false, false));  // z = x + x
  EXPECT_EQ(seen[2], std::make_pair(false, false));  // y = x + w: x reached by z, w a parameter
  // d/dw of 3·sum(y + z) = 3·sum(3w + w + 3w + 3w) = 30 per element, plus the 5 already there.
  EXPECT_FLOAT_EQ(p.grad.data()[0], 35.0f);
  EXPECT_FLOAT_EQ(p.grad.data()[1], 35.0f);
}

TEST(Tape, PassThroughSharesTheDyingGradientAndCopiesARetainedOne) {
  for (const bool retain : {false, true}) {
    Parameter p(Tensor::from_rows({{1.0f, 2.0f}}), "p");
    std::vector<std::pair<bool, bool>> seen;
    Tape tape;
    const Var x = triple(tape, tape.param(p));  // 3w
    const Var a = triple(tape, x);              // 9w; its rule adds into x's gradient last
    const Var y = tape.record(
        x.value().clone(), {x},
        [](Tape::Step& s) {
          s.pass_through(0);
          EXPECT_EQ(s.grad_in[0]->shares_storage_with(s.grad_out), s.grad_out_dies);
        },
        Tape::Reads::Nothing, Tape::Writes::Assign);
    if (retain) tape.retain_grad(y);
    tape.backward(ops_free_sum(tape, assigning_add(tape, y, a, seen)));
    // d/dx = 1 (through y) + 3 (through a) = 4; d/dw = 3 · 4.
    EXPECT_FLOAT_EQ(p.grad.data()[0], 12.0f) << "retain " << retain;
    EXPECT_FLOAT_EQ(p.grad.data()[1], 12.0f) << "retain " << retain;
    if (retain) {
      EXPECT_FLOAT_EQ(y.grad().data()[0], 1.0f);  // not the 4 that x's gradient became
    }
  }
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

TEST(Tape, FreesIntermediateGradientsUnlessRetained) {
  Parameter p(Tensor::scalar(2.0f), "p");
  Tape tape;
  const Var y = triple(tape, tape.param(p));
  const Var z = triple(tape, y);
  const Var loss = triple(tape, z);
  tape.retain_grad(z);
  tape.backward(loss);
  EXPECT_FLOAT_EQ(p.grad.item(), 27.0f);
  EXPECT_FLOAT_EQ(z.grad().item(), 3.0f);   // retained: loss = 3 · z
  EXPECT_THROW(y.grad(), InvalidArgument);  // consumed and freed
  EXPECT_FLOAT_EQ(y.value().item(), 6.0f);  // values stay with the default release
  EXPECT_THROW(tape.retain_grad(y), InvalidArgument);  // after backward
}

TEST(Tape, ReleaseEverythingKeepsOnlyTheLossValue) {
  Parameter p(Tensor::scalar(2.0f), "p");
  Tape tape;
  const Var y = triple(tape, tape.param(p));
  const Var loss = triple(tape, y);
  tape.backward(loss, Tape::Release::Everything);
  EXPECT_FLOAT_EQ(p.grad.item(), 9.0f);
  EXPECT_FLOAT_EQ(loss.value().item(), 18.0f);
  EXPECT_THROW(y.value(), InvalidArgument);
  EXPECT_FLOAT_EQ(p.value.item(), 2.0f);  // the parameter itself is untouched
}

// A rule's saved tensor (4 MiB, from the host cache) is gone by the time the next rule runs.
TEST(Tape, FreesSavedTensorsAsBackwardGoes) {
  Parameter p(Tensor::scalar(1.0f), "p");
  Tape tape;
  std::size_t in_use_in_saver = 0;
  std::size_t in_use_after = 0;
  const Var x = tape.param(p);
  const Var a = tape.record(Tensor::scalar(1.0f), {x}, [&](Tape::Step& s) {
    in_use_after = host_cache::stats().in_use_bytes;
    s.grad_in[0]->data()[0] += s.grad_out.data()[0];
  });
  Tensor saved = Tensor::zeros(1024, 1024);  // 4 MiB
  const Var b = tape.record(Tensor::scalar(1.0f), {a}, [&, saved](Tape::Step& s) {
    in_use_in_saver = host_cache::stats().in_use_bytes;
    s.grad_in[0]->data()[0] += s.grad_out.data()[0] * (saved.data()[0] + 1.0f);
  });
  saved = Tensor();  // the rule holds the only reference now
  tape.backward(b);
  EXPECT_FLOAT_EQ(p.grad.item(), 1.0f);
  EXPECT_GE(in_use_in_saver, in_use_after + (std::size_t{4} << 20));
}

// y = 3 · x whose rule reads nothing but the output gradient (declared Reads::Nothing).
Var triple_reading_nothing(Tape& tape, Var x) {
  Tensor out = x.value().clone();
  for (Index i = 0; i < out.size(); ++i) out.data()[i] *= 3.0f;
  return tape.record(
      out, {x},
      [](Tape::Step& s) {
        if (s.grad_in[0] == nullptr) return;
        for (Index i = 0; i < s.grad_out.size(); ++i)
          s.grad_in[0]->data()[i] += 3.0f * s.grad_out.data()[i];
      },
      Tape::Reads::Nothing);
}

// A temporary that no rule reads is freed during the forward; gradients still flow through it.
TEST(Tape, ReleasedValueIsGoneAndGradientsStillFlow) {
  Parameter p(Tensor::from_rows({{1.0f, 2.0f}}), "p");
  Tape tape;
  const Var y = triple_reading_nothing(tape, tape.param(p));
  const Var z = triple_reading_nothing(tape, y);
  tape.release_value(y, "the test");
  try {
    (void)y.value();
    FAIL() << "value() of a released node returned";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("freed by the test"), std::string::npos) << e.what();
  }
  EXPECT_THROW(tape.release_value(y, "the test"), InvalidArgument);  // already freed
  // loss = z[0] + z[1], by hand; its rule reads z (the default Reads::All).
  const Var loss = tape.record(Tensor::scalar(z.value().data()[0] + z.value().data()[1]), {z},
                               [](Tape::Step& s) {
                                 for (Index i = 0; i < 2; ++i)
                                   s.grad_in[0]->data()[i] += s.grad_out.data()[0];
                               });
  EXPECT_THROW(tape.release_value(z, "the test"), InvalidArgument);
  tape.backward(loss);
  EXPECT_FLOAT_EQ(p.grad.data()[0], 9.0f);  // d(9 p0 + 9 p1) / dp
  EXPECT_FLOAT_EQ(p.grad.data()[1], 9.0f);
}

// A value that a recorded rule reads (triple's default Reads::All) is refused, naming the caller.
TEST(Tape, RefusesToReleaseAValueARuleReads) {
  Parameter p(Tensor::scalar(2.0f), "p");
  Tape tape;
  const Var y = triple(tape, tape.param(p));
  (void)triple(tape, y);  // reads its input y
  try {
    tape.release_value(y, "MyLayer::forward");
    FAIL() << "release_value of a read value returned";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("MyLayer::forward"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("read by a recorded backward rule"), std::string::npos);
  }
  EXPECT_FLOAT_EQ(y.value().item(), 6.0f);  // untouched
}

// take_value hands over the buffer itself, and only when nothing else shares it.
TEST(Tape, TakeValueMovesTheBufferOnlyWhenUnshared) {
  Tape tape(Tape::Mode::Inference);
  Tensor held = Tensor::from_rows({{1.0f, 2.0f}});
  const Var shared = tape.constant(held);
  EXPECT_THROW(tape.take_value(shared, "the test"), InvalidArgument);  // `held` shares it
  EXPECT_FLOAT_EQ(shared.value().data()[1], 2.0f);
  const Var own = triple(tape, tape.constant(Tensor::from_rows({{1.0f, 2.0f}})));
  const float* address = own.value().data();
  const Tensor taken = tape.take_value(own, "the test");
  EXPECT_EQ(taken.data(), address);
  EXPECT_FLOAT_EQ(taken.data()[1], 6.0f);
  EXPECT_THROW(own.value(), std::exception);
}

TEST(Tape, RejectsVarFromAnotherTape) {
  Tape a;
  Tape b;
  const Var x = a.constant(Tensor::scalar(1.0f));
  EXPECT_THROW(b.record(Tensor::scalar(1.0f), {x}, nullptr), InvalidArgument);
}

}  // namespace
}  // namespace moegnn
