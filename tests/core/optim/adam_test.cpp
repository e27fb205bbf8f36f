// SPDX-License-Identifier: Apache-2.0
// Adam and AdamW against hand-computed updates (worked out in the comments) and against the
// double-precision reference of reference.h: bias correction, AMSGrad, coupled vs decoupled weight
// decay, option validation, thread-count bit identity.
#include <cstring>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/optim/adam.h"
#include "core/optim/adamw.h"
#include "core/parallel.h"
#include "tests/core/optim/reference.h"
#include "tests/support/gradcheck.h"

namespace moegnn::optim {
namespace {

TEST(Adam, ConstantGradientMovesByLrEachStep) {
  // With a constant g, m̂_t = g and v̂_t = g² exactly (bias correction), so every step moves θ by
  // lr · g / (|g| + ε) = 0.1 · 0.5 / (0.5 + 1e-8) ≈ 0.1: θ = 0.9, 0.8, 0.7.
  Parameter p(Tensor::scalar(1.0f));
  Adam adam({ParamGroup{{&p}, 0.1f}});
  for (float expected : {0.9f, 0.8f, 0.7f}) {
    p.grad.fill(0.5f);
    adam.step();
    EXPECT_NEAR(p.value.item(), expected, 2e-6f);
  }
}

TEST(Adam, MatchesReferenceWithCoupledDecay) {
  Parameter p(support::random_tensor(4, 3, 11), "w");
  const AdamOptions options{.beta1 = 0.8f, .beta2 = 0.95f, .eps = 1e-6f};
  Adam adam({ParamGroup{{&p}, 0.01f, 0.1f}}, options);
  test::RefAdam ref{.lr = 0.01f, .beta1 = 0.8f, .beta2 = 0.95f, .eps = 1e-6f, .weight_decay = 0.1f};
  std::vector<double> theta = test::to_doubles(p.value);
  for (std::uint64_t step = 0; step < 3; ++step) {
    p.grad = support::random_tensor(4, 3, 20 + step);
    ref.step(theta, test::to_doubles(p.grad));
    adam.step();
  }
  const Tensor expected = Tensor::from_vector(4, 3, std::vector<float>(theta.begin(), theta.end()));
  EXPECT_TRUE(support::all_close(p.value, expected, 1e-6f, 1e-5f));
}

TEST(Adam, LargeBeta1UsesTheOtherLerpBranch) {
  // β1 = 0.3 gives a lerp weight 0.7 >= 0.5, where PyTorch evaluates g - (g - m)·(1 - w).
  Parameter p(support::random_tensor(2, 3, 12));
  Adam adam({ParamGroup{{&p}, 0.05f}}, {.beta1 = 0.3f, .beta2 = 0.9f});
  test::RefAdam ref{.lr = 0.05f, .beta1 = 0.3f, .beta2 = 0.9f};
  std::vector<double> theta = test::to_doubles(p.value);
  for (std::uint64_t step = 0; step < 3; ++step) {
    p.grad = support::random_tensor(2, 3, 30 + step);
    ref.step(theta, test::to_doubles(p.grad));
    adam.step();
  }
  const Tensor expected = Tensor::from_vector(2, 3, std::vector<float>(theta.begin(), theta.end()));
  EXPECT_TRUE(support::all_close(p.value, expected, 1e-6f, 1e-5f));
}

TEST(Adam, AmsgradKeepsTheLargestSecondMoment) {
  // g = 1 then 0: v = 0.001 then 0.000999; AMSGrad keeps 0.001, so its second step is smaller:
  // step 2 moves by 0.1 · (0.09 / 0.19) / sqrt(v / 0.001999) with v = 0.000999 or 0.001.
  auto run = [](bool amsgrad) {
    Parameter p(Tensor::scalar(0.0f));
    Adam adam({ParamGroup{{&p}, 0.1f}}, {.amsgrad = amsgrad});
    for (float g : {1.0f, 0.0f}) {
      p.grad.fill(g);
      adam.step();
    }
    return p.value.item();
  };
  const double m_hat = 0.09 / 0.19;
  const double plain = -0.1 - 0.1 * m_hat / std::sqrt(0.000999 / 0.001999);
  const double ams = -0.1 - 0.1 * m_hat / std::sqrt(0.001 / 0.001999);
  EXPECT_NEAR(run(false), plain, 2e-6);
  EXPECT_NEAR(run(true), ams, 2e-6);
  EXPECT_GT(run(true), run(false));  // a smaller step from 0 towards negative values
}

TEST(Adam, AmsgradMatchesReference) {
  Parameter p(support::random_tensor(3, 3, 13));
  Adam adam({ParamGroup{{&p}, 0.02f, 0.05f}}, {.amsgrad = true});
  test::RefAdam ref{.lr = 0.02f, .weight_decay = 0.05f, .amsgrad = true};
  std::vector<double> theta = test::to_doubles(p.value);
  for (std::uint64_t step = 0; step < 4; ++step) {
    // Shrinking gradients make v fall, so the maximum matters.
    p.grad = support::random_tensor(3, 3, 40 + step, -1.0f / (1 + step), 1.0f / (1 + step));
    ref.step(theta, test::to_doubles(p.grad));
    adam.step();
  }
  const Tensor expected = Tensor::from_vector(3, 3, std::vector<float>(theta.begin(), theta.end()));
  EXPECT_TRUE(support::all_close(p.value, expected, 1e-6f, 1e-5f));
}

TEST(AdamW, DecaysTheWeightNotTheGradient) {
  // θ0 = 2, g = 0.5, lr = 0.1, λ = 0.5, first step (normalised step ≈ lr · sign):
  //   Adam:  g' = 0.5 + 0.5·2 = 1.5 > 0, θ = 2 - 0.1 = 1.9
  //   AdamW: θ' = 2·(1 - 0.1·0.5) = 1.9, then - 0.1 → 1.8
  Parameter a(Tensor::scalar(2.0f));
  Parameter w(Tensor::scalar(2.0f));
  Adam adam({ParamGroup{{&a}, 0.1f, 0.5f}});
  AdamW adamw({ParamGroup{{&w}, 0.1f, 0.5f}});
  a.grad.fill(0.5f);
  w.grad.fill(0.5f);
  adam.step();
  adamw.step();
  EXPECT_NEAR(a.value.item(), 1.9f, 2e-6f);
  EXPECT_NEAR(w.value.item(), 1.8f, 2e-6f);
}

TEST(AdamW, MatchesReference) {
  Parameter p(support::random_tensor(5, 2, 14));
  AdamW adamw({ParamGroup{{&p}, 0.01f, 0.1f}}, {.amsgrad = true});
  test::RefAdam ref{.lr = 0.01f, .weight_decay = 0.1f, .decoupled = true, .amsgrad = true};
  std::vector<double> theta = test::to_doubles(p.value);
  for (std::uint64_t step = 0; step < 3; ++step) {
    p.grad = support::random_tensor(5, 2, 50 + step);
    ref.step(theta, test::to_doubles(p.grad));
    adamw.step();
  }
  const Tensor expected = Tensor::from_vector(5, 2, std::vector<float>(theta.begin(), theta.end()));
  EXPECT_TRUE(support::all_close(p.value, expected, 1e-6f, 1e-5f));
}

TEST(AdamW, WithoutDecayEqualsAdamBitForBit) {
  Parameter a(support::random_tensor(3, 4, 15));
  Parameter w(a.value.clone());
  Adam adam({ParamGroup{{&a}, 0.01f}});
  AdamW adamw({ParamGroup{{&w}, 0.01f}});
  for (std::uint64_t step = 0; step < 3; ++step) {
    a.grad = support::random_tensor(3, 4, 60 + step);
    w.grad = a.grad.clone();
    adam.step();
    adamw.step();
  }
  EXPECT_EQ(std::memcmp(a.value.data(), w.value.data(), sizeof(float) * a.value.size()), 0);
}

TEST(Adam, GroupsUseTheirOwnLr) {
  // First step moves each parameter by its group's lr (g constant and positive).
  Parameter a(Tensor::zeros(1, 2));
  Parameter b(Tensor::zeros(2, 1));
  Adam adam({ParamGroup{{&a}, 0.1f}, ParamGroup{{&b}, 0.001f}});
  a.grad.fill(3.0f);
  b.grad.fill(3.0f);
  adam.step();
  EXPECT_TRUE(support::all_close(a.value, Tensor::full(1, 2, -0.1f), 1e-7f, 1e-5f));
  EXPECT_TRUE(support::all_close(b.value, Tensor::full(2, 1, -0.001f), 1e-9f, 1e-5f));
}

TEST(Adam, RejectsBadOptions) {
  Parameter p(Tensor::scalar(1.0f));
  EXPECT_THROW(Adam({ParamGroup{{&p}, 0.1f}}, {.beta1 = 1.0f}), InvalidArgument);
  EXPECT_THROW(Adam({ParamGroup{{&p}, 0.1f}}, {.beta2 = -0.1f}), InvalidArgument);
  EXPECT_THROW(Adam({ParamGroup{{&p}, 0.1f}}, {.eps = std::nanf("")}), InvalidArgument);
  EXPECT_THROW(AdamW({ParamGroup{{&p}, 0.1f}}, {.beta2 = 1.0f}), InvalidArgument);
}

TEST(Adam, SameBitsOnOneAndTwoThreads) {
  const Tensor init = support::random_tensor(400, 500, 16);
  auto run = [&](int threads) {
    set_num_threads(threads);
    Parameter p(init.clone());
    AdamW adamw({ParamGroup{{&p}, 0.01f, 0.1f}}, {.amsgrad = true});
    for (std::uint64_t step = 0; step < 3; ++step) {
      p.grad = support::random_tensor(400, 500, 70 + step);
      adamw.step();
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
