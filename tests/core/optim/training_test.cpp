// SPDX-License-Identifier: Apache-2.0
// End to end: the optimizers minimise an ill-conditioned quadratic recorded on the tape with a
// hand-written rule (no dependency on core/ops), alone and with clipping and a schedule.
#include <gtest/gtest.h>

#include "core/optim/adam.h"
#include "core/optim/adamw.h"
#include "core/optim/clip.h"
#include "core/optim/schedule.h"
#include "core/optim/sgd.h"
#include "tests/support/gradcheck.h"

namespace moegnn::optim {
namespace {

// loss = Σ_i a_i (x_i - c_i)², a 1 × 1 Var; d loss / d x_i = 2 a_i (x_i - c_i).
Var quadratic(Tape& tape, Var x, const Tensor& scale, const Tensor& target) {
  const Tensor& v = x.value();
  double total = 0.0;
  for (Index i = 0; i < v.size(); ++i) {
    const double d = static_cast<double>(v.data()[i]) - target.data()[i];
    total += scale.data()[i] * d * d;
  }
  return tape.record(
      Tensor::scalar(static_cast<float>(total)), {x}, [scale, target](Tape::Step& s) {
        if (s.grad_in[0] == nullptr) return;
        const float upstream = s.grad_out.item();
        const Tensor& in = *s.in[0];
        float* g = s.grad_in[0]->data();
        for (Index i = 0; i < in.size(); ++i)
          g[i] += upstream * 2.0f * scale.data()[i] * (in.data()[i] - target.data()[i]);
      });
}

class Training : public ::testing::Test {
 protected:
  // Curvatures spread over two orders of magnitude, so plain gradient descent is ill-conditioned.
  Tensor scale_ = support::random_tensor(4, 3, 1, 0.1f, 10.0f);
  Tensor target_ = support::random_tensor(4, 3, 2, -2.0f, 2.0f);
  Parameter x_{support::random_tensor(4, 3, 3, -2.0f, 2.0f), "x"};

  // One forward/backward/step; returns the loss before the step.
  float step(Optimizer& optimizer, float clip = 0.0f) {
    optimizer.zero_grad();
    Tape tape;
    const Var loss = quadratic(tape, tape.param(x_), scale_, target_);
    tape.backward(loss);
    if (clip > 0.0f) clip_grad_norm(optimizer.parameters(), clip);
    optimizer.step();
    return loss.value().item();
  }
};

TEST_F(Training, AdamMinimisesAQuadratic) {
  Adam adam({ParamGroup{{&x_}, 0.05f}});
  const float initial = step(adam);
  float loss = initial;
  for (int i = 0; i < 400; ++i) loss = step(adam);
  EXPECT_GT(initial, 1.0f);
  EXPECT_LT(loss, 1e-4f);
}

TEST_F(Training, SgdWithMomentumMinimisesAQuadratic) {
  // lr · 2 · max(a) = 0.04 · 20 < 2 keeps the stiffest direction stable.
  Sgd sgd({ParamGroup{{&x_}, 0.04f}}, {.momentum = 0.5f});
  float loss = step(sgd);
  for (int i = 0; i < 400; ++i) loss = step(sgd);
  EXPECT_LT(loss, 1e-4f);
}

TEST_F(Training, AdamWWithClippingAndCosineScheduleConverges) {
  AdamW adamw({ParamGroup{{&x_}, 0.1f}}, {.amsgrad = true});
  CosineLr schedule(adamw, 20, 0.001f, 2);
  float loss = 0.0f;
  for (int epoch = 0; epoch < 25; ++epoch) {
    for (int i = 0; i < 20; ++i) loss = step(adamw, 5.0f);
    schedule.step();
  }
  EXPECT_LT(loss, 1e-3f);
  EXPECT_FLOAT_EQ(adamw.groups()[0].lr, 0.001f);  // annealed to eta_min
}

}  // namespace
}  // namespace moegnn::optim
