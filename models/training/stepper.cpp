// SPDX-License-Identifier: Apache-2.0
// One optimizer step.
#include "models/training/stepper.h"

#include "core/optim/clip.h"

namespace moegnn::training {

float Stepper::step(const std::function<Var(Tape&)>& loss_fn,
                    const std::function<void()>& after_backward) {
  model_.train();
  optimizer_.zero_grad();
  Tape tape;
  const Var loss = loss_fn(tape);
  tape.backward(loss, Tape::Release::Everything);  // only the loss is read afterwards
  if (after_backward) after_backward();
  if (clip_ > 0.0f) optim::clip_grad_norm(optimizer_.parameters(), clip_);
  optimizer_.step();
  return loss.value().item();
}

}  // namespace moegnn::training
