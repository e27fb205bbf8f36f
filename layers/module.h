// SPDX-License-Identifier: Apache-2.0
// Module: what every layer and model offers the training code: its parameters (named, for
// checkpoints) and a training/evaluation switch (dropout, batch-norm statistics).
#pragma once

#include <string>
#include <vector>

#include "core/tape.h"

namespace moegnn::layers {

class Module {
 public:
  Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;
  Module(Module&&) = default;
  Module& operator=(Module&&) = default;
  virtual ~Module() = default;

  // Every trainable parameter, in a stable order; names are unique within the module
  // ("conv1.weight").
  virtual std::vector<Parameter*> parameters() = 0;

  // Training mode (default) enables dropout and batch statistics; composites forward the switch.
  virtual void train(bool on = true) { training_ = on; }
  void eval() { train(false); }
  bool training() const { return training_; }

  Index num_parameters();  // total scalar count
  void zero_grad();
  // Moves every parameter (value and gradient) to `device`, as torch's Module.to. Models that own
  // other state (batch-norm running statistics) move it too. Optimizers built before the move keep
  // their state on the old device: build them after.
  virtual void to(Device device);
  // Composites call this once per child in their constructor: "weight" becomes "conv1.weight".
  void prefix_parameter_names(const std::string& prefix);

 protected:
  // Appends a child's parameters to `out`.
  static void append(std::vector<Parameter*>& out, Module& child);

 private:
  bool training_ = true;
};

}  // namespace moegnn::layers
