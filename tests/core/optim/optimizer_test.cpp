// SPDX-License-Identifier: Apache-2.0
// The Optimizer base through its three optimizers: group validation, step-time checks, zero_grad,
// and checkpoint state (names, bit-identical continuation after load_state, mismatches rejected).
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/optim/adam.h"
#include "core/optim/adamw.h"
#include "core/optim/optimizer.h"
#include "core/optim/sgd.h"
#include "tests/support/gradcheck.h"

namespace moegnn::optim {
namespace {

bool same_bits(const Tensor& a, const Tensor& b) {
  return a.same_shape(b) && std::memcmp(a.data(), b.data(), sizeof(float) * a.size()) == 0;
}

TEST(Optimizer, RejectsBadGroups) {
  Parameter a(Tensor::zeros(2, 2));
  Parameter b(Tensor::zeros(1, 1));
  EXPECT_THROW(Sgd(std::vector<ParamGroup>{}), InvalidArgument);
  EXPECT_THROW(Sgd({ParamGroup{{}, 0.1f}}), InvalidArgument);
  EXPECT_THROW(Sgd({ParamGroup{{&a, nullptr}, 0.1f}}), InvalidArgument);
  EXPECT_THROW(Sgd({ParamGroup{{&a, &a}, 0.1f}}), InvalidArgument);
  EXPECT_THROW(Adam({ParamGroup{{&a}, 0.1f}, ParamGroup{{&b, &a}, 0.2f}}), InvalidArgument);
  EXPECT_THROW(Adam({ParamGroup{{&a}, -0.1f}}), InvalidArgument);
  EXPECT_THROW(Adam({ParamGroup{{&a}, std::nanf("")}}), InvalidArgument);
  EXPECT_THROW(AdamW({ParamGroup{{&a}, 0.1f, -1.0f}}), InvalidArgument);
  EXPECT_NO_THROW(AdamW({ParamGroup{{&a}, 0.0f}, ParamGroup{{&b}, 0.1f, 0.1f}}));
}

TEST(Optimizer, ErrorMessageNamesTheOptimizerAndGroup) {
  Parameter a(Tensor::zeros(1, 1));
  try {
    Adam adam({ParamGroup{{&a}, -0.5f}});
    FAIL() << "no exception";
  } catch (const InvalidArgument& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("Adam::Adam"), std::string::npos) << message;
    EXPECT_NE(message.find("group 0 has lr -0.5"), std::string::npos) << message;
  }
}

TEST(Optimizer, StepChecksGradsAndGroups) {
  Parameter a(Tensor::ones(2, 3), "a");
  Parameter b(Tensor::ones(1, 1), "b");
  Sgd sgd({ParamGroup{{&a}, 0.1f}});
  a.grad = Tensor::zeros(3, 2);  // wrong shape: nothing may change
  EXPECT_THROW(sgd.step(), InvalidArgument);
  EXPECT_TRUE(same_bits(a.value, Tensor::ones(2, 3)));
  EXPECT_EQ(sgd.steps(), 0);
  a.zero_grad();
  sgd.groups()[0].lr = -1.0f;
  EXPECT_THROW(sgd.step(), InvalidArgument);
  sgd.groups()[0].lr = 0.1f;
  sgd.groups()[0].params.push_back(&b);  // parameter lists are fixed at construction
  EXPECT_THROW(sgd.step(), InvalidArgument);
  sgd.groups()[0].params.pop_back();
  EXPECT_NO_THROW(sgd.step());
  EXPECT_EQ(sgd.steps(), 1);
}

TEST(Optimizer, ZeroGradAndParameters) {
  Parameter a(Tensor::ones(2, 2));
  Parameter b(Tensor::ones(1, 3));
  Adam adam({ParamGroup{{&a}, 0.1f}, ParamGroup{{&b}, 0.1f}});
  a.grad.fill(3.0f);
  b.grad = Tensor();  // a grad of the wrong shape is reallocated
  adam.zero_grad();
  EXPECT_TRUE(same_bits(a.grad, Tensor::zeros(2, 2)));
  EXPECT_TRUE(same_bits(b.grad, Tensor::zeros(1, 3)));
  EXPECT_EQ(adam.parameters(), (std::vector<Parameter*>{&a, &b}));
}

TEST(Optimizer, StateHasStableNames) {
  Parameter a(Tensor::zeros(2, 3));
  Parameter b(Tensor::zeros(1, 1));
  Parameter c(Tensor::zeros(4, 1));
  Adam adam({ParamGroup{{&a, &b}, 0.1f}, ParamGroup{{&c}, 0.2f, 0.3f}}, {.amsgrad = true});
  std::vector<std::string> names;
  for (const auto& entry : adam.state()) names.push_back(entry.first);
  const std::vector<std::string> expected{"step",
                                          "group0.lr",
                                          "group0.weight_decay",
                                          "group1.lr",
                                          "group1.weight_decay",
                                          "group0.param0.exp_avg",
                                          "group0.param0.exp_avg_sq",
                                          "group0.param0.max_exp_avg_sq",
                                          "group0.param1.exp_avg",
                                          "group0.param1.exp_avg_sq",
                                          "group0.param1.max_exp_avg_sq",
                                          "group1.param0.exp_avg",
                                          "group1.param0.exp_avg_sq",
                                          "group1.param0.max_exp_avg_sq"};
  EXPECT_EQ(names, expected);
  EXPECT_FLOAT_EQ(adam.state()[3].second.item(), 0.2f);
  EXPECT_EQ(adam.state()[11].second.rows(), 4);
  Parameter d(Tensor::zeros(1, 1));
  EXPECT_EQ(Sgd({ParamGroup{{&d}, 0.1f}}).state().size(), 3U);  // no buffer without momentum
}

using Factory = std::function<std::unique_ptr<Optimizer>(std::vector<ParamGroup>)>;

// Runs 4 + 4 steps, and again from a snapshot taken after 4: the last 4 must agree bit for bit.
void check_resume(const Factory& make) {
  // 1. Run A: 4 steps, snapshot (values + state), 4 more steps.
  Parameter a1(support::random_tensor(3, 4, 1));
  Parameter a2(support::random_tensor(1, 5, 2));
  std::unique_ptr<Optimizer> first =
      make({ParamGroup{{&a1}, 0.01f}, ParamGroup{{&a2}, 0.02f, 0.1f}});
  auto run = [](Optimizer& opt, Parameter& p, Parameter& q, int steps, std::uint64_t seed) {
    for (int s = 0; s < steps; ++s) {
      p.grad = support::random_tensor(p.value.rows(), p.value.cols(), seed + 2 * s);
      q.grad = support::random_tensor(q.value.rows(), q.value.cols(), seed + 2 * s + 1);
      opt.step();
    }
  };
  run(*first, a1, a2, 4, 100);
  const Tensor saved1 = a1.value.clone();
  const Tensor saved2 = a2.value.clone();
  const OptimizerState saved = first->state();
  run(*first, a1, a2, 4, 200);
  // 2. Run B: fresh parameters and optimizer (other lrs: the state restores them), load, 4 steps.
  Parameter b1(saved1.clone());
  Parameter b2(saved2.clone());
  std::unique_ptr<Optimizer> second = make({ParamGroup{{&b1}, 0.5f}, ParamGroup{{&b2}, 0.5f}});
  second->load_state(saved);
  EXPECT_EQ(second->steps(), 4);
  EXPECT_EQ(second->groups()[1].weight_decay, 0.1f);
  run(*second, b1, b2, 4, 200);
  EXPECT_TRUE(same_bits(a1.value, b1.value));
  EXPECT_TRUE(same_bits(a2.value, b2.value));
  // 3. The snapshot was not aliased: continuing did not change it.
  for (std::size_t i = 0; i < saved.size(); ++i)
    EXPECT_FALSE(saved[i].second.shares_storage_with(second->state()[i].second));
}

TEST(Optimizer, LoadStateContinuesBitIdentically) {
  check_resume([](std::vector<ParamGroup> g) {
    return std::make_unique<Sgd>(std::move(g), SgdOptions{.momentum = 0.9f, .nesterov = true});
  });
  check_resume([](std::vector<ParamGroup> g) {
    return std::make_unique<Adam>(std::move(g), AdamOptions{.amsgrad = true});
  });
  check_resume([](std::vector<ParamGroup> g) { return std::make_unique<AdamW>(std::move(g)); });
}

TEST(Optimizer, LoadStateRejectsMismatches) {
  Parameter a(Tensor::zeros(2, 2));
  Adam adam({ParamGroup{{&a}, 0.1f}});
  a.grad.fill(1.0f);
  adam.step();
  const OptimizerState good = adam.state();
  auto without = [&](const std::string& name) {
    OptimizerState s;
    for (const auto& e : good)
      if (e.first != name) s.push_back(e);
    return s;
  };
  EXPECT_THROW(adam.load_state(without("group0.param0.exp_avg")), InvalidArgument);
  OptimizerState extra = good;
  extra.emplace_back("group0.param0.momentum_buffer", Tensor::zeros(2, 2));
  EXPECT_THROW(adam.load_state(extra), InvalidArgument);
  OptimizerState repeated = good;
  repeated.push_back(good.back());
  EXPECT_THROW(adam.load_state(repeated), InvalidArgument);
  OptimizerState reshaped = without("group0.param0.exp_avg_sq");
  reshaped.emplace_back("group0.param0.exp_avg_sq", Tensor::zeros(4, 1));
  EXPECT_THROW(adam.load_state(reshaped), InvalidArgument);
  OptimizerState bad_step = without("step");
  bad_step.emplace_back("step", Tensor::from_vector(1, 2, {0.0f, 2.5f}));
  EXPECT_THROW(adam.load_state(bad_step), InvalidArgument);
  OptimizerState bad_lr = without("group0.lr");
  bad_lr.emplace_back("group0.lr", Tensor::scalar(-1.0f));
  EXPECT_THROW(adam.load_state(bad_lr), InvalidArgument);
  // Another optimizer type: SGD with momentum has other slot names.
  Parameter b(Tensor::zeros(2, 2));
  Sgd sgd({ParamGroup{{&b}, 0.1f}}, {.momentum = 0.9f});
  EXPECT_THROW(sgd.load_state(good), InvalidArgument);
  // A failed load changed nothing.
  EXPECT_EQ(adam.steps(), 1);
  EXPECT_FLOAT_EQ(adam.groups()[0].lr, 0.1f);
  const OptimizerState after = adam.state();
  for (std::size_t i = 0; i < good.size(); ++i)
    EXPECT_TRUE(same_bits(after[i].second, good[i].second));
}

TEST(Optimizer, StepCounterIsExactPastFloatPrecision) {
  Parameter a(Tensor::zeros(1, 1));
  Sgd sgd({ParamGroup{{&a}, 0.1f}});
  OptimizerState s = sgd.state();
  s[0].second = Tensor::from_vector(1, 2, {3.0f, 5.0f});  // 3 · 2^24 + 5
  sgd.load_state(s);
  EXPECT_EQ(sgd.steps(), 3 * (Index{1} << 24) + 5);
  sgd.step();
  const Tensor step = sgd.state()[0].second;
  EXPECT_EQ(step.data()[0], 3.0f);
  EXPECT_EQ(step.data()[1], 6.0f);
}

}  // namespace
}  // namespace moegnn::optim
