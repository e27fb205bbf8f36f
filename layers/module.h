// SPDX-License-Identifier: Apache-2.0
// Module: what every layer and model offers the training code. A module registers, once, in its
// constructor, its own parameters, its buffers (state that is saved but not trained: batch-norm
// running statistics) and its child modules; parameters(), buffers(), train() and to(device) then
// walk that tree, so no layer or model writes them by hand (flashlight's registration). Names are
// the registration path, "conv0.weight", "bn0.running_mean", as PyTorch's state_dict spells them.
// A module registers pointers to its own members, so modules are neither copied nor moved: keep
// children as members, or in a std::deque / std::unique_ptr when their number varies.
#pragma once

#include <string>
#include <vector>

#include "core/tape.h"

namespace moegnn::layers {

// A named buffer: a tensor (running_mean) or an integer counter (num_batches_tracked).
struct Buffer {
  std::string name;
  Tensor* tensor = nullptr;  // exactly one of tensor and count is set
  Index* count = nullptr;
};

class Module {
 public:
  Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;
  Module(Module&&) = delete;
  Module& operator=(Module&&) = delete;
  virtual ~Module() = default;

  // Every trainable parameter in registration order (children's in place of the child), names
  // unique within the module ("conv1.weight").
  std::vector<Parameter*> parameters();
  // Every buffer in registration order, named like the parameters ("bn0.running_var").
  std::vector<Buffer> buffers();

  // Training mode (default) enables dropout and batch statistics, for this module and every child.
  void train(bool on = true);
  void eval() { train(false); }
  bool training() const { return training_; }

  Index num_parameters();  // total scalar count
  void zero_grad();
  // Moves every parameter (value and gradient) and tensor buffer to `device`, as torch's
  // Module.to. Optimizers built before the move keep their state on the old device: build them
  // after.
  void to(Device device);

 protected:
  // Registers `p` under `name` (sets p.name). Throws InvalidArgument for an empty name.
  void register_parameter(const std::string& name, Parameter& p);
  // Registers a tensor buffer, or an integer counter, under `name`.
  void register_buffer(const std::string& name, Tensor& buffer);
  void register_buffer(const std::string& name, Index& counter);
  // Registers a child: its parameter and buffer names get the prefix "<name>." (none when `name` is
  // empty, for a module that wraps one child and keeps its names). Register a child after it is
  // built; the child must live as long as this module.
  void register_module(const std::string& name, Module& child);

 private:
  struct Entry {
    Parameter* parameter = nullptr;  // exactly one of the three is set
    Module* child = nullptr;
    Buffer buffer{};
  };
  void add_prefix(const std::string& prefix);

  std::vector<Entry> entries_;
  bool training_ = true;
};

}  // namespace moegnn::layers
