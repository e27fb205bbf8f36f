// SPDX-License-Identifier: Apache-2.0
// Module: registration and the walks over the module tree.
#include "layers/module.h"

#include "core/error.h"

namespace moegnn::layers {

std::vector<Parameter*> Module::parameters() {
  std::vector<Parameter*> out;
  for (Entry& e : entries_) {
    if (e.parameter != nullptr) out.push_back(e.parameter);
    if (e.child != nullptr)
      for (Parameter* p : e.child->parameters()) out.push_back(p);
  }
  return out;
}

std::vector<Buffer> Module::buffers() {
  std::vector<Buffer> out;
  for (Entry& e : entries_) {
    if (e.buffer.tensor != nullptr || e.buffer.count != nullptr) out.push_back(e.buffer);
    if (e.child != nullptr)
      for (Buffer& b : e.child->buffers()) out.push_back(std::move(b));
  }
  return out;
}

void Module::train(bool on) {
  training_ = on;
  for (Entry& e : entries_)
    if (e.child != nullptr) e.child->train(on);
}

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
  for (Buffer& b : buffers())
    if (b.tensor != nullptr && !b.tensor->empty()) *b.tensor = b.tensor->to(device);
}

void Module::register_parameter(const std::string& name, Parameter& p) {
  MOEGNN_CHECK_AS(InvalidArgument, "Module::register_parameter", !name.empty(),
                  "empty name vs a parameter name such as 'weight'");
  p.name = name;
  entries_.push_back({.parameter = &p});
}

void Module::register_buffer(const std::string& name, Tensor& buffer) {
  MOEGNN_CHECK_AS(InvalidArgument, "Module::register_buffer", !name.empty(),
                  "empty name vs a buffer name such as 'running_mean'");
  entries_.push_back({.buffer = {name, &buffer, nullptr}});
}

void Module::register_buffer(const std::string& name, Index& counter) {
  MOEGNN_CHECK_AS(InvalidArgument, "Module::register_buffer", !name.empty(),
                  "empty name vs a buffer name such as 'num_batches_tracked'");
  entries_.push_back({.buffer = {name, nullptr, &counter}});
}

void Module::register_module(const std::string& name, Module& child) {
  MOEGNN_CHECK_AS(InvalidArgument, "Module::register_module", &child != this,
                  "a module registered as its own child vs another module");
  if (!name.empty()) child.add_prefix(name + ".");
  entries_.push_back({.child = &child});
}

void Module::add_prefix(const std::string& prefix) {
  for (Entry& e : entries_) {
    if (e.parameter != nullptr) e.parameter->name = prefix + e.parameter->name;
    if (e.child != nullptr) e.child->add_prefix(prefix);
    if (e.buffer.tensor != nullptr || e.buffer.count != nullptr)
      e.buffer.name = prefix + e.buffer.name;
  }
}

}  // namespace moegnn::layers
