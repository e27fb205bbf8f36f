// SPDX-License-Identifier: Apache-2.0
// Optimizer: the base of Sgd, Adam and AdamW. It owns the parameter groups (each with its own
// learning rate and weight decay, as Mowst and NCNC need), the per-parameter state buffers
// ("slots", e.g. "exp_avg") and the step counter, and exports/imports all of it by stable names for
// checkpoints: loading a saved state makes training continue bit-identically. Groups may have their
// lr and weight_decay changed between steps (schedules do); their parameter lists may not.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/tape.h"

namespace moegnn::optim {

// Parameters updated with one learning rate and one weight decay. The optimizer does not own them.
struct ParamGroup {
  std::vector<Parameter*> params;
  float lr = 0.0f;
  float weight_decay = 0.0f;
};

// Named state for checkpoints: ("step", 1 × 2), ("group0.lr", 1 × 1),
// ("group0.weight_decay", 1 × 1), ("group0.param3.exp_avg", shape of that parameter), ...
using OptimizerState = std::vector<std::pair<std::string, Tensor>>;

class Optimizer {
 public:
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;
  virtual ~Optimizer() = default;

  // One update of every parameter in every group from its current grad (dense: all parameters are
  // updated, as in PyTorch). Throws InvalidArgument when a grad's shape differs from its value's, a
  // group's lr or weight_decay is negative or not finite, or the groups' parameter lists changed
  // since construction, or a grad or state buffer is on another device than its value. CUDA
  // parameters are updated by one fused kernel each (Unsupported in a build without CUDA).
  virtual void step() = 0;

  // Sets every parameter's grad to zero (allocating it when its shape does not match the value).
  void zero_grad();

  // The groups, in construction order. Change lr / weight_decay freely; keep the parameter lists.
  std::vector<ParamGroup>& groups() { return groups_; }
  const std::vector<ParamGroup>& groups() const { return groups_; }
  // Every parameter of every group, in group order (e.g. for clip_grad_norm).
  std::vector<Parameter*> parameters() const;
  // Completed calls to step().
  Index steps() const { return steps_; }

  // Copies of the step counter, the groups' hyper-parameters and every state buffer, in a stable
  // order under stable names. "step" is 1 × 2: {steps / 2^24, steps % 2^24}, exact in float32.
  OptimizerState state() const;
  // Restores what state() returned (entries in any order; tensors are copied, not aliased). Throws
  // InvalidArgument, changing nothing, when a name is missing, unknown or repeated, or a shape or
  // value is wrong (e.g. a state saved by another optimizer type or for other parameters).
  void load_state(const OptimizerState& state);

 protected:
  // `name` prefixes error messages ("Adam"); `slot_names` are the per-parameter buffers, allocated
  // here as zeros shaped like each parameter's value. Throws InvalidArgument on an empty group
  // list, an empty group, a null or repeated parameter, or a negative / non-finite lr or
  // weight_decay.
  Optimizer(std::vector<ParamGroup> groups, std::vector<std::string> slot_names, std::string name);

  // A step's body: checks everything step() promises to check, calls update(group, param, slots)
  // for every parameter in order (slots: one Tensor per slot name), then counts the step.
  using UpdateFn = std::function<void(const ParamGroup&, Parameter&, std::vector<Tensor>&)>;
  void run_step(const UpdateFn& update);
  const std::string& name() const { return name_; }

 private:
  struct Entry {  // one name of state() and the shape it must have
    std::string name;
    Index rows;
    Index cols;
  };
  void check_groups(const char* function) const;
  std::string slot_key(std::size_t group, std::size_t param, std::size_t slot) const;
  std::vector<Entry> layout() const;  // state()'s names and shapes, in state()'s order

  std::vector<ParamGroup> groups_;
  std::vector<Parameter*> params_;          // the groups' parameters, flattened, at construction
  std::vector<std::vector<Tensor>> slots_;  // [flat parameter][slot]
  std::vector<std::string> slot_names_;
  std::string name_;
  Index steps_ = 0;
};

}  // namespace moegnn::optim
