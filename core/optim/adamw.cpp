// SPDX-License-Identifier: Apache-2.0
// AdamW: decoupled weight decay through the shared element loop of detail/adam_update.h.
#include "core/optim/adamw.h"

#include "core/optim/detail/adam_update.h"

namespace moegnn::optim {

AdamW::AdamW(std::vector<ParamGroup> groups, const AdamOptions& options)
    : Optimizer(std::move(groups), detail::adam_slots("AdamW::AdamW", options), "AdamW"),
      options_(options) {}

void AdamW::step() {
  const Index t = steps() + 1;
  run_step([&](const ParamGroup& group, Parameter& p, std::vector<Tensor>& slots) {
    detail::adam_update(p, slots,
                        detail::adam_step(options_, t, group.lr, 0.0f, group.weight_decay));
  });
}

}  // namespace moegnn::optim
