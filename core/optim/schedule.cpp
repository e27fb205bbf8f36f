// SPDX-License-Identifier: Apache-2.0
// Learning-rate schedules: closed forms of the factors, evaluated in double and rounded once.
#include "core/optim/schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/error.h"

namespace moegnn::optim {
namespace {
void check_epoch(const char* function, Index epoch) {
  MOEGNN_CHECK_AS(InvalidArgument, function, epoch >= 0, "epoch ", epoch, " vs >= 0");
}
void check_gamma(const char* function, float gamma) {
  MOEGNN_CHECK_AS(InvalidArgument, function, std::isfinite(gamma) && gamma >= 0.0f, "gamma ", gamma,
                  " vs a finite value >= 0");
}
}  // namespace

LrSchedule::LrSchedule(Optimizer& optimizer) : optimizer_(optimizer) {
  for (const ParamGroup& group : optimizer_.groups()) initial_lrs_.push_back(group.lr);
}

float LrSchedule::lr_at(float initial, Index epoch) const {
  return static_cast<float>(static_cast<double>(initial) * static_cast<double>(factor(epoch)));
}

void LrSchedule::apply() {
  std::vector<ParamGroup>& groups = optimizer_.groups();
  MOEGNN_CHECK_AS(InvalidArgument, "LrSchedule::step", groups.size() == initial_lrs_.size(),
                  "the optimizer has ", groups.size(), " groups vs ", initial_lrs_.size(),
                  " when the schedule was built");
  for (std::size_t g = 0; g < groups.size(); ++g) groups[g].lr = lr_at(initial_lrs_[g], epoch_);
}

void LrSchedule::step() {
  ++epoch_;
  apply();
}

void LrSchedule::set_epoch(Index epoch) {
  check_epoch("LrSchedule::set_epoch", epoch);
  epoch_ = epoch;
  apply();
}

StepLr::StepLr(Optimizer& optimizer, Index step_size, float gamma)
    : LrSchedule(optimizer),
      step_size_(step_size),
      gamma_(gamma) {
  MOEGNN_CHECK_AS(InvalidArgument, "StepLr::StepLr", step_size >= 1, "step_size ", step_size,
                  " vs >= 1");
  check_gamma("StepLr::StepLr", gamma);
  apply();
}

float StepLr::factor(Index epoch) const {
  check_epoch("StepLr::factor", epoch);
  return static_cast<float>(
      std::pow(static_cast<double>(gamma_), static_cast<double>(epoch / step_size_)));
}

ExponentialLr::ExponentialLr(Optimizer& optimizer, float gamma)
    : LrSchedule(optimizer),
      gamma_(gamma) {
  check_gamma("ExponentialLr::ExponentialLr", gamma);
  apply();
}

float ExponentialLr::factor(Index epoch) const {
  check_epoch("ExponentialLr::factor", epoch);
  return static_cast<float>(std::pow(static_cast<double>(gamma_), static_cast<double>(epoch)));
}

CosineLr::CosineLr(Optimizer& optimizer, Index t_max, float eta_min, Index warmup_steps)
    : LrSchedule(optimizer),
      t_max_(t_max),
      eta_min_(eta_min),
      warmup_steps_(warmup_steps) {
  MOEGNN_CHECK_AS(InvalidArgument, "CosineLr::CosineLr", t_max >= 1, "t_max ", t_max, " vs >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, "CosineLr::CosineLr", warmup_steps >= 0, "warmup_steps ",
                  warmup_steps, " vs >= 0");
  MOEGNN_CHECK_AS(InvalidArgument, "CosineLr::CosineLr", std::isfinite(eta_min) && eta_min >= 0.0f,
                  "eta_min ", eta_min, " vs a finite value >= 0");
  apply();
}

float CosineLr::factor(Index epoch) const {
  check_epoch("CosineLr::factor", epoch);
  if (epoch < warmup_steps_)
    return static_cast<float>(static_cast<double>(epoch + 1) /
                              static_cast<double>(warmup_steps_ + 1));
  const Index t = std::min(epoch - warmup_steps_, t_max_);
  return static_cast<float>(0.5 * (1.0 + std::cos(std::numbers::pi * static_cast<double>(t) /
                                                  static_cast<double>(t_max_))));
}

float CosineLr::lr_at(float initial, Index epoch) const {
  const auto floor = static_cast<double>(eta_min_);
  return static_cast<float>(floor + (static_cast<double>(initial) - floor) *
                                        static_cast<double>(factor(epoch)));
}

}  // namespace moegnn::optim
