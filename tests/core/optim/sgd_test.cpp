// SPDX-License-Identifier: Apache-2.0
// Sgd against hand-computed updates (values worked out on paper in the comments) and against the
// double-precision reference of reference.h; option validation; thread-count bit identity.
#include <cstring>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/optim/sgd.h"
#include "core/parallel.h"
#include "tests/core/optim/reference.h"
#include "tests/support/gradcheck.h"

namespace moegnn::optim {
namespace {

// θ0 = 1 and the gradients 0.5, -1, 2 for three steps; returns θ after each step.
std::vector<float> run_three_steps(float lr, const SgdOptions& options, float weight_decay = 0.0f) {
  Parameter p(Tensor::scalar(1.0f), "theta");
  Sgd sgd({ParamGroup{{&p}, lr, weight_decay}}, options);
  std::vector<float> out;
  for (float g : {0.5f, -1.0f, 2.0f}) {
    p.grad.fill(g);
    sgd.step();
    out.push_back(p.value.item());
  }
  return out;
}

TEST(Sgd, PlainStepIsLrTimesGrad) {
  // θ: 1 - 0.1·0.5 = 0.95; 0.95 + 0.1 = 1.05; 1.05 - 0.2 = 0.85.
  const std::vector<float> theta = run_three_steps(0.1f, {});
  EXPECT_NEAR(theta[0], 0.95f, 1e-6f);
  EXPECT_NEAR(theta[1], 1.05f, 1e-6f);
  EXPECT_NEAR(theta[2], 0.85f, 1e-6f);
}

TEST(Sgd, MomentumBufferStartsAtFirstGradient) {
  // μ = 0.9: b = 0.5, θ = 0.95; b = 0.45 - 1 = -0.55, θ = 1.005; b = -0.495 + 2 = 1.505, θ =
  // 0.8545.
  const std::vector<float> theta = run_three_steps(0.1f, {.momentum = 0.9f});
  EXPECT_NEAR(theta[0], 0.95f, 1e-6f);
  EXPECT_NEAR(theta[1], 1.005f, 1e-6f);
  EXPECT_NEAR(theta[2], 0.8545f, 1e-6f);
}

TEST(Sgd, DampeningSkipsTheFirstStep) {
  // μ = 0.9, τ = 0.5: b = 0.5 (undamped), θ = 0.95; b = 0.45 - 0.5 = -0.05, θ = 0.955;
  // b = -0.045 + 1 = 0.955, θ = 0.8595.
  const std::vector<float> theta = run_three_steps(0.1f, {.momentum = 0.9f, .dampening = 0.5f});
  EXPECT_NEAR(theta[0], 0.95f, 1e-6f);
  EXPECT_NEAR(theta[1], 0.955f, 1e-6f);
  EXPECT_NEAR(theta[2], 0.8595f, 1e-6f);
}

TEST(Sgd, NesterovLooksAhead) {
  // μ = 0.9: d = 0.5 + 0.45 = 0.95, θ = 0.905; b = -0.55, d = -1 - 0.495 = -1.495, θ = 1.0545;
  // b = 1.505, d = 2 + 1.3545 = 3.3545, θ = 0.71905.
  const std::vector<float> theta = run_three_steps(0.1f, {.momentum = 0.9f, .nesterov = true});
  EXPECT_NEAR(theta[0], 0.905f, 1e-6f);
  EXPECT_NEAR(theta[1], 1.0545f, 1e-6f);
  EXPECT_NEAR(theta[2], 0.71905f, 1e-6f);
}

TEST(Sgd, WeightDecayIsCoupledL2) {
  // λ = 0.1: d = 0.5 + 0.1 = 0.6, θ = 0.94; d = -1 + 0.094 = -0.906, θ = 1.0306;
  // d = 2 + 0.10306 = 2.10306, θ = 0.820294.
  const std::vector<float> theta = run_three_steps(0.1f, {}, 0.1f);
  EXPECT_NEAR(theta[0], 0.94f, 1e-6f);
  EXPECT_NEAR(theta[1], 1.0306f, 1e-6f);
  EXPECT_NEAR(theta[2], 0.820294f, 1e-6f);
}

TEST(Sgd, MatchesReferenceOnRandomTensors) {
  const SgdOptions options{.momentum = 0.8f, .dampening = 0.1f};
  Parameter p(support::random_tensor(3, 5, 1), "w");
  Sgd sgd({ParamGroup{{&p}, 0.05f, 0.01f}}, options);
  test::RefSgd ref{.lr = 0.05f, .momentum = 0.8f, .dampening = 0.1f, .weight_decay = 0.01f};
  std::vector<double> theta = test::to_doubles(p.value);
  for (std::uint64_t step = 0; step < 4; ++step) {
    p.grad = support::random_tensor(3, 5, 100 + step);
    ref.step(theta, test::to_doubles(p.grad));
    sgd.step();
  }
  const Tensor expected = Tensor::from_vector(3, 5, std::vector<float>(theta.begin(), theta.end()));
  EXPECT_TRUE(support::all_close(p.value, expected, 1e-6f, 1e-5f));
  EXPECT_EQ(sgd.steps(), 4);
}

TEST(Sgd, GroupsUseTheirOwnLrAndDecay) {
  Parameter a(Tensor::full(2, 2, 1.0f), "a");
  Parameter b(Tensor::full(1, 3, 1.0f), "b");
  Sgd sgd({ParamGroup{{&a}, 0.1f}, ParamGroup{{&b}, 0.01f, 0.5f}});
  a.grad.fill(1.0f);
  b.grad.fill(1.0f);
  sgd.step();
  // a: 1 - 0.1·1 = 0.9; b: 1 - 0.01·(1 + 0.5·1) = 0.985.
  EXPECT_TRUE(support::all_close(a.value, Tensor::full(2, 2, 0.9f), 1e-7f, 1e-6f));
  EXPECT_TRUE(support::all_close(b.value, Tensor::full(1, 3, 0.985f), 1e-7f, 1e-6f));
}

TEST(Sgd, RejectsBadOptions) {
  Parameter p(Tensor::scalar(1.0f));
  EXPECT_THROW(Sgd({ParamGroup{{&p}, 0.1f}}, {.momentum = -0.1f}), InvalidArgument);
  EXPECT_THROW(Sgd({ParamGroup{{&p}, 0.1f}}, {.momentum = 0.9f, .dampening = 1.5f}),
               InvalidArgument);
  EXPECT_THROW(Sgd({ParamGroup{{&p}, 0.1f}}, {.nesterov = true}), InvalidArgument);
  EXPECT_THROW(
      Sgd({ParamGroup{{&p}, 0.1f}}, {.momentum = 0.9f, .dampening = 0.1f, .nesterov = true}),
      InvalidArgument);
  EXPECT_NO_THROW(Sgd({ParamGroup{{&p}, 0.1f}}, {.momentum = 0.9f, .nesterov = true}));
}

TEST(Sgd, SameBitsOnOneAndTwoThreads) {
  // 200 000 elements: above the optimizer's grain, so two threads really split the loop.
  const Tensor init = support::random_tensor(400, 500, 7);
  const Tensor grad = support::random_tensor(400, 500, 8);
  auto run = [&](int threads) {
    set_num_threads(threads);
    Parameter p(init.clone());
    Sgd sgd({ParamGroup{{&p}, 0.1f, 0.01f}}, {.momentum = 0.9f, .nesterov = true});
    for (int i = 0; i < 3; ++i) {
      p.grad = grad.clone();
      sgd.step();
    }
    set_num_threads(0);
    return p.value;
  };
  const Tensor one = run(1);
  const Tensor two = run(2);
  EXPECT_EQ(std::memcmp(one.data(), two.data(), sizeof(float) * one.size()), 0);
}

}  // namespace
}  // namespace moegnn::optim
