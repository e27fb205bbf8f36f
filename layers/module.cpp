// SPDX-License-Identifier: Apache-2.0
// Module helpers.
#include "layers/module.h"

namespace moegnn::layers {

Index Module::num_parameters() {
  Index total = 0;
  for (Parameter* p : parameters()) total += p->value.size();
  return total;
}

void Module::zero_grad() {
  for (Parameter* p : parameters()) p->zero_grad();
}

void Module::to(Device device) {
  for (Parameter* p : parameters()) {
    p->value = p->value.to(device);
    if (!p->grad.empty()) p->grad = p->grad.to(device);
  }
}

void Module::prefix_parameter_names(const std::string& prefix) {
  for (Parameter* p : parameters()) p->name = prefix + p->name;
}

void Module::append(std::vector<Parameter*>& out, Module& child) {
  for (Parameter* p : child.parameters()) out.push_back(p);
}

}  // namespace moegnn::layers
