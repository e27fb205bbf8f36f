// SPDX-License-Identifier: Apache-2.0
// Learning-rate schedules: per-epoch multipliers of each group's initial learning rate. A schedule
// records the groups' lrs when it is built (epoch 0, already applied then) and rewrites them on
// every step(); groups with different lrs (Mowst, NCNC) keep their ratio. The four classes share
// this header because each is a few lines over the LrSchedule base.
#pragma once

#include <vector>

#include "core/optim/optimizer.h"

namespace moegnn::optim {

class LrSchedule {
 public:
  LrSchedule(const LrSchedule&) = delete;
  LrSchedule& operator=(const LrSchedule&) = delete;
  virtual ~LrSchedule() = default;

  // Call once per epoch, after that epoch's optimizer steps: epoch() += 1, then every group's lr is
  // set from its initial lr. Throws InvalidArgument when the optimizer's group count changed.
  void step();
  // Jumps to `epoch` (e.g. when resuming from a checkpoint) and sets the lrs as step() would have.
  // Throws InvalidArgument on a negative epoch.
  void set_epoch(Index epoch);
  Index epoch() const { return epoch_; }
  const std::vector<float>& initial_lrs() const { return initial_lrs_; }

  // The multiplier at `epoch` (>= 0; throws InvalidArgument otherwise).
  virtual float factor(Index epoch) const = 0;

 protected:
  // Reads the groups' current lrs as the initial ones; `optimizer` must outlive the schedule.
  // Derived constructors must end with apply() (the base constructor cannot call the derived
  // factor()).
  explicit LrSchedule(Optimizer& optimizer);
  // The lr of a group whose initial lr is `initial`; default initial · factor(epoch).
  virtual float lr_at(float initial, Index epoch) const;
  void apply();

 private:
  Optimizer& optimizer_;
  std::vector<float> initial_lrs_;
  Index epoch_ = 0;
};

// factor(e) = γ^⌊e / step_size⌋ (torch.optim.lr_scheduler.StepLR).
class StepLr final : public LrSchedule {
 public:
  // Throws InvalidArgument when step_size < 1 or gamma is negative or not finite.
  StepLr(Optimizer& optimizer, Index step_size, float gamma = 0.1f);
  float factor(Index epoch) const override;

 private:
  Index step_size_;
  float gamma_;
};

// factor(e) = γ^e (torch.optim.lr_scheduler.ExponentialLR).
class ExponentialLr final : public LrSchedule {
 public:
  // Throws InvalidArgument when gamma is negative or not finite.
  ExponentialLr(Optimizer& optimizer, float gamma);
  float factor(Index epoch) const override;

 private:
  float gamma_;
};

// Linear warmup over W = warmup_steps epochs, then cosine annealing over t_max epochs to eta_min
// (an absolute lr, as in torch's CosineAnnealingLR), then eta_min:
//   factor(e) = (e + 1) / (W + 1)                              for e < W
//   factor(e) = (1 + cos(π · min(e - W, t_max) / t_max)) / 2   for e >= W
//   lr(e)     = eta_min + (initial - eta_min) · factor(e)
// So warmup never gives a zero lr, epoch W has the full initial lr, and epoch W + t_max has
// eta_min.
class CosineLr final : public LrSchedule {
 public:
  // Throws InvalidArgument when t_max < 1, warmup_steps < 0, or eta_min is negative or not finite.
  CosineLr(Optimizer& optimizer, Index t_max, float eta_min = 0.0f, Index warmup_steps = 0);
  float factor(Index epoch) const override;

 protected:
  float lr_at(float initial, Index epoch) const override;

 private:
  Index t_max_;
  float eta_min_;
  Index warmup_steps_;
};

}  // namespace moegnn::optim
