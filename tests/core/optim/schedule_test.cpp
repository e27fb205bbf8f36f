// SPDX-License-Identifier: Apache-2.0
// Learning-rate schedules: factors at chosen epochs (hand-computed in the comments), lrs of groups
// with different initial lrs, resuming with set_epoch, bad arguments.
#include <cmath>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/optim/schedule.h"
#include "core/optim/sgd.h"

namespace moegnn::optim {
namespace {

class LrScheduleTest : public ::testing::Test {
 protected:
  Parameter a_{Tensor::zeros(1, 1)};
  Parameter b_{Tensor::zeros(1, 1)};
  Sgd sgd_{{ParamGroup{{&a_}, 0.1f}, ParamGroup{{&b_}, 0.01f}}};
};

TEST_F(LrScheduleTest, StepLrHalvesEveryThreeEpochs) {
  StepLr schedule(sgd_, 3, 0.5f);
  // γ^⌊e/3⌋: epochs 0-2 → 1, 3-5 → 0.5, 6 → 0.25, 7 → 0.25.
  EXPECT_FLOAT_EQ(schedule.factor(0), 1.0f);
  EXPECT_FLOAT_EQ(schedule.factor(2), 1.0f);
  EXPECT_FLOAT_EQ(schedule.factor(3), 0.5f);
  EXPECT_FLOAT_EQ(schedule.factor(6), 0.25f);
  EXPECT_FLOAT_EQ(schedule.factor(7), 0.25f);
  for (int e = 0; e < 3; ++e) schedule.step();
  EXPECT_EQ(schedule.epoch(), 3);
  EXPECT_FLOAT_EQ(sgd_.groups()[0].lr, 0.05f);
  EXPECT_FLOAT_EQ(sgd_.groups()[1].lr, 0.005f);
}

TEST_F(LrScheduleTest, ExponentialLrMultipliesEachEpoch) {
  ExponentialLr schedule(sgd_, 0.9f);
  EXPECT_FLOAT_EQ(schedule.factor(0), 1.0f);
  EXPECT_NEAR(schedule.factor(2), 0.81f, 1e-6f);
  EXPECT_NEAR(schedule.factor(10), std::pow(0.9, 10), 1e-6);  // 0.3486784401
  schedule.step();
  schedule.step();
  EXPECT_NEAR(sgd_.groups()[0].lr, 0.081f, 1e-8f);
  EXPECT_NEAR(sgd_.groups()[1].lr, 0.0081f, 1e-9f);
}

TEST_F(LrScheduleTest, CosineLrAnnealsToEtaMinAndStays) {
  CosineLr schedule(sgd_, 10);
  // (1 + cos(π e / 10)) / 2: e = 0 → 1, 5 → 0.5, 10 → 0, 20 → 0 (held), 2 → (1 + cos(π/5))/2.
  EXPECT_FLOAT_EQ(schedule.factor(0), 1.0f);
  EXPECT_NEAR(schedule.factor(5), 0.5f, 1e-7f);
  EXPECT_NEAR(schedule.factor(10), 0.0f, 1e-7f);
  EXPECT_NEAR(schedule.factor(20), 0.0f, 1e-7f);
  EXPECT_NEAR(schedule.factor(2), 0.9045084972, 1e-7);
}

TEST_F(LrScheduleTest, CosineLrWarmsUpLinearly) {
  CosineLr schedule(sgd_, 10, 0.0f, 4);
  // Warmup (e + 1) / 5 for e < 4, then cosine over epochs 4..14.
  EXPECT_FLOAT_EQ(schedule.factor(0), 0.2f);
  EXPECT_FLOAT_EQ(schedule.factor(3), 0.8f);
  EXPECT_FLOAT_EQ(schedule.factor(4), 1.0f);
  EXPECT_NEAR(schedule.factor(9), 0.5f, 1e-7f);
  EXPECT_NEAR(schedule.factor(14), 0.0f, 1e-7f);
  // Built at epoch 0: the lrs already carry the warmup factor.
  EXPECT_FLOAT_EQ(sgd_.groups()[0].lr, 0.02f);
  EXPECT_FLOAT_EQ(sgd_.groups()[1].lr, 0.002f);
}

TEST_F(LrScheduleTest, CosineLrEtaMinIsAnAbsoluteFloor) {
  CosineLr schedule(sgd_, 10, 0.001f);
  schedule.set_epoch(5);  // factor 0.5: lr = 0.001 + (initial - 0.001) · 0.5
  EXPECT_NEAR(sgd_.groups()[0].lr, 0.0505f, 1e-8f);
  EXPECT_NEAR(sgd_.groups()[1].lr, 0.0055f, 1e-8f);
  schedule.set_epoch(30);
  EXPECT_FLOAT_EQ(sgd_.groups()[0].lr, 0.001f);
  EXPECT_FLOAT_EQ(sgd_.groups()[1].lr, 0.001f);
}

TEST_F(LrScheduleTest, SetEpochEqualsStepping) {
  Parameter c(Tensor::zeros(1, 1));
  Sgd other({ParamGroup{{&c}, 0.1f}});
  CosineLr stepped(sgd_, 7, 0.0f, 2);
  CosineLr jumped(other, 7, 0.0f, 2);
  for (int e = 0; e < 5; ++e) stepped.step();
  jumped.set_epoch(5);
  EXPECT_EQ(jumped.epoch(), 5);
  EXPECT_EQ(sgd_.groups()[0].lr, other.groups()[0].lr);
  EXPECT_EQ(stepped.initial_lrs(), (std::vector<float>{0.1f, 0.01f}));
}

TEST_F(LrScheduleTest, RejectsBadArguments) {
  EXPECT_THROW(StepLr(sgd_, 0), InvalidArgument);
  EXPECT_THROW(StepLr(sgd_, 2, -0.5f), InvalidArgument);
  EXPECT_THROW(ExponentialLr(sgd_, std::nanf("")), InvalidArgument);
  EXPECT_THROW(CosineLr(sgd_, 0), InvalidArgument);
  EXPECT_THROW(CosineLr(sgd_, 5, -0.1f), InvalidArgument);
  EXPECT_THROW(CosineLr(sgd_, 5, 0.0f, -1), InvalidArgument);
  StepLr schedule(sgd_, 2);
  EXPECT_THROW(schedule.factor(-1), InvalidArgument);
  EXPECT_THROW(schedule.set_epoch(-3), InvalidArgument);
  sgd_.groups().push_back(ParamGroup{{&a_}, 0.1f});
  EXPECT_THROW(schedule.step(), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::optim
