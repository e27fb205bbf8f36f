// SPDX-License-Identifier: Apache-2.0
// Adam: coupled weight decay through the shared element loop of detail/adam_update.h.
#include "core/optim/adam.h"

#include "core/optim/detail/adam_update.h"

namespace moegnn::optim {

Adam::Adam(std::vector<ParamGroup> groups, const AdamOptions& options)
    : Optimizer(std::move(groups), detail::adam_slots("Adam::Adam", options), "Adam"),
      options_(options) {}

void Adam::step() {
  const Index t = steps() + 1;
  run_step([&](const ParamGroup& group, Parameter& p, std::vector<Tensor>& slots) {
    detail::adam_update(p, slots,
                        detail::adam_step(options_, t, group.lr, group.weight_decay, 0.0f));
  });
}

}  // namespace moegnn::optim
