// SPDX-License-Identifier: Apache-2.0
// The optimizer base: group validation, state buffers, the checked step loop and checkpoint state.
#include "core/optim/optimizer.h"

#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>

#include "core/error.h"

namespace moegnn::optim {
namespace {

// The step counter is split in two float32-exact halves so checkpoints stay exact past 2^24 steps.
constexpr Index kStepRadix = Index{1} << 24;

void check_hyper(const char* function, std::size_t group, float lr, float weight_decay) {
  MOEGNN_CHECK_AS(InvalidArgument, function, std::isfinite(lr) && lr >= 0.0f, "group ", group,
                  " has lr ", lr, " vs a finite value >= 0");
  MOEGNN_CHECK_AS(InvalidArgument, function, std::isfinite(weight_decay) && weight_decay >= 0.0f,
                  "group ", group, " has weight_decay ", weight_decay, " vs a finite value >= 0");
}

bool is_count(float v) {
  return std::isfinite(v) && v >= 0.0f && v < 16777216.0f && v == std::floor(v);
}

}  // namespace

Optimizer::Optimizer(std::vector<ParamGroup> groups, std::vector<std::string> slot_names,
                     std::string name)
    : groups_(std::move(groups)),
      slot_names_(std::move(slot_names)),
      name_(std::move(name)) {
  const std::string function = name_ + "::" + name_;
  MOEGNN_CHECK_AS(InvalidArgument, function.c_str(), !groups_.empty(),
                  "no parameter groups: 0 vs >= 1; pass at least one ParamGroup");
  std::unordered_set<const Parameter*> seen;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const ParamGroup& group = groups_[g];
    MOEGNN_CHECK_AS(InvalidArgument, function.c_str(), !group.params.empty(), "group ", g,
                    " has 0 parameters vs >= 1; drop the empty group");
    check_hyper(function.c_str(), g, group.lr, group.weight_decay);
    for (std::size_t p = 0; p < group.params.size(); ++p) {
      const Parameter* param = group.params[p];
      MOEGNN_CHECK_AS(InvalidArgument, function.c_str(), param != nullptr, "group ", g,
                      " parameter ", p, " is null vs a Parameter*");
      MOEGNN_CHECK_AS(InvalidArgument, function.c_str(), seen.insert(param).second, "group ", g,
                      " parameter ", p, " (", param->name,
                      ") is already in a group vs each parameter once; remove the duplicate");
      params_.push_back(group.params[p]);
    }
  }
  slots_.resize(params_.size());
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Tensor& value = params_[i]->value;
    for (std::size_t s = 0; s < slot_names_.size(); ++s)
      slots_[i].push_back(Tensor::zeros(value.rows(), value.cols(), value.device()));
  }
}

void Optimizer::zero_grad() {
  for (Parameter* p : params_) p->zero_grad();
}

std::vector<Parameter*> Optimizer::parameters() const { return params_; }

void Optimizer::check_groups(const char* function) const {
  std::size_t flat = 0;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    check_hyper(function, g, groups_[g].lr, groups_[g].weight_decay);
    for (const Parameter* p : groups_[g].params) {
      MOEGNN_CHECK_AS(InvalidArgument, function, flat < params_.size() && params_[flat] == p,
                      "group ", g, " parameter list differs from the one given at construction",
                      " vs unchanged; build a new optimizer to change the parameters");
      ++flat;
    }
  }
  MOEGNN_CHECK_AS(InvalidArgument, function, flat == params_.size(), "the groups hold ", flat,
                  " parameters vs ", params_.size(), " at construction; keep the parameter lists");
}

void Optimizer::run_step(const UpdateFn& update) {
  // 1. Validate everything before touching any parameter, so a bad call changes nothing.
  const std::string function = name_ + "::step";
  check_groups(function.c_str());
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Parameter& p = *params_[i];
    MOEGNN_CHECK_AS(InvalidArgument, function.c_str(), p.grad.device() == p.value.device(),
                    "parameter ", i, " (", p.name, ") has its grad on ", to_string(p.grad.device()),
                    " vs its value on ", to_string(p.value.device()));
    MOEGNN_CHECK_AS(InvalidArgument, function.c_str(), p.grad.same_shape(p.value), "parameter ", i,
                    " (", p.name, ") has grad ", p.grad.shape_string(), " vs value ",
                    p.value.shape_string(), "; run backward() or zero_grad() first");
    for (const Tensor& slot : slots_[i]) {
      MOEGNN_CHECK_AS(InvalidArgument, function.c_str(), slot.same_shape(p.value), "parameter ", i,
                      " (", p.name, ") is now ", p.value.shape_string(), " vs ",
                      slot.shape_string(), " when the optimizer was built");
      MOEGNN_CHECK_AS(InvalidArgument, function.c_str(), slot.device() == p.value.device(),
                      "parameter ", i, " (", p.name, ") is now on ", to_string(p.value.device()),
                      " vs its state on ", to_string(slot.device()),
                      "; build the optimizer after moving the parameters");
    }
  }
  // 2. Update in group order.
  std::size_t flat = 0;
  for (const ParamGroup& group : groups_)
    for (Parameter* p : group.params) update(group, *p, slots_[flat++]);
  ++steps_;
}

std::string Optimizer::slot_key(std::size_t group, std::size_t param, std::size_t slot) const {
  return ::moegnn::detail::concat("group", group, ".param", param, ".", slot_names_[slot]);
}

OptimizerState Optimizer::state() const {
  const std::vector<Entry> names = layout();
  OptimizerState out;
  out.reserve(names.size());
  out.emplace_back(names[0].name, Tensor::from_vector(1, 2,
                                                      {static_cast<float>(steps_ / kStepRadix),
                                                       static_cast<float>(steps_ % kStepRadix)}));
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    out.emplace_back(names[1 + 2 * g].name, Tensor::scalar(groups_[g].lr));
    out.emplace_back(names[2 + 2 * g].name, Tensor::scalar(groups_[g].weight_decay));
  }
  std::size_t next = 1 + 2 * groups_.size();
  for (const auto& param_slots : slots_)
    for (const Tensor& slot : param_slots) out.emplace_back(names[next++].name, slot.clone());
  return out;
}

std::vector<Optimizer::Entry> Optimizer::layout() const {
  std::vector<Entry> entries{{"step", 1, 2}};
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    entries.push_back({::moegnn::detail::concat("group", g, ".lr"), 1, 1});
    entries.push_back({::moegnn::detail::concat("group", g, ".weight_decay"), 1, 1});
  }
  std::size_t flat = 0;
  for (std::size_t g = 0; g < groups_.size(); ++g)
    for (std::size_t p = 0; p < groups_[g].params.size(); ++p, ++flat)
      for (std::size_t s = 0; s < slot_names_.size(); ++s)
        entries.push_back({slot_key(g, p, s), slots_[flat][s].rows(), slots_[flat][s].cols()});
  return entries;
}

void Optimizer::load_state(const OptimizerState& state) {
  const std::string function = name_ + "::load_state";
  const char* fn = function.c_str();
  // 1. Index the entries by name; each name of this optimizer's layout must be there, well shaped.
  std::unordered_map<std::string, const Tensor*> by_name;
  for (const auto& [key, tensor] : state)
    MOEGNN_CHECK_AS(InvalidArgument, fn, by_name.emplace(key, &tensor).second, "entry \"", key,
                    "\" appears twice vs once");
  const std::vector<Entry> expected = layout();
  for (const Entry& e : expected) {
    const auto it = by_name.find(e.name);
    MOEGNN_CHECK_AS(InvalidArgument, fn, it != by_name.end(), "entry \"", e.name,
                    "\" is missing vs present; was the state saved by another optimizer type or "
                    "for other parameters?");
    MOEGNN_CHECK_AS(InvalidArgument, fn,
                    it->second->rows() == e.rows && it->second->cols() == e.cols, "entry \"",
                    e.name, "\" is ", it->second->shape_string(), " vs ", e.rows, " × ", e.cols);
  }
  if (by_name.size() != expected.size()) {  // all expected names found and none repeated: extras
    std::unordered_set<std::string> known;
    for (const Entry& e : expected) known.insert(e.name);
    for (const auto& entry : state)
      MOEGNN_CHECK_AS(InvalidArgument, fn, known.count(entry.first) == 1, "entry \"", entry.first,
                      "\" is unknown vs the ", expected.size(), " entries of this ", name_,
                      "; was it saved by another optimizer?");
  }
  // 2. Values: the counter halves are exact integers, hyper-parameters valid.
  const Tensor step = by_name["step"]->to(Device::Cpu);
  MOEGNN_CHECK_AS(InvalidArgument, fn, is_count(step.data()[0]) && is_count(step.data()[1]),
                  "entry \"step\" holds {", step.data()[0], ", ", step.data()[1],
                  "} vs two integers in [0, 2^24)");
  std::vector<float> lr(groups_.size());
  std::vector<float> weight_decay(groups_.size());
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    lr[g] = by_name[expected[1 + 2 * g].name]->item();
    weight_decay[g] = by_name[expected[2 + 2 * g].name]->item();
    check_hyper(fn, g, lr[g], weight_decay[g]);
  }
  // 3. Commit: copies, so later updates never write into the caller's tensors.
  steps_ = static_cast<Index>(step.data()[0]) * kStepRadix + static_cast<Index>(step.data()[1]);
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    groups_[g].lr = lr[g];
    groups_[g].weight_decay = weight_decay[g];
  }
  std::size_t next = 1 + 2 * groups_.size();
  for (auto& param_slots : slots_)
    for (Tensor& slot : param_slots) {
      const Tensor& saved = *by_name[expected[next++].name];
      const Tensor copy = saved.to(slot.device());
      slot = copy.shares_storage_with(saved) ? copy.clone() : copy;
    }
}

}  // namespace moegnn::optim
