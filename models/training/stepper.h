// SPDX-License-Identifier: Apache-2.0
// Stepper: one optimizer step around a loss, the unit every task's epoch is made of: training
// mode, zero_grad, forward (the loss callback, on a fresh tape), backward, optional gradient
// clipping, step.
#pragma once

#include <functional>

#include "core/optim/optimizer.h"
#include "core/tape.h"
#include "layers/module.h"

namespace moegnn::training {

class Stepper {
 public:
  Stepper(layers::Module& model, optim::Optimizer& optimizer, float clip_grad_norm = 0.0f)
      : model_(model), optimizer_(optimizer), clip_(clip_grad_norm) {}
  // Runs one step and returns the loss value. after_backward (optional) runs between backward and
  // clipping / the update, e.g. to sum the gradients of data-parallel ranks (dist/train.h). Throws
  // what the callbacks throw.
  float step(const std::function<Var(Tape&)>& loss,
             const std::function<void()>& after_backward = {});
  optim::Optimizer& optimizer() { return optimizer_; }

 private:
  layers::Module& model_;
  optim::Optimizer& optimizer_;
  float clip_;
};

}  // namespace moegnn::training
