// SPDX-License-Identifier: Apache-2.0
// Copies of parameters and buffers, and their checkpoint entries.
#include "models/training/model_state.h"

#include <set>

#include "core/error.h"

namespace moegnn::training {
namespace {

// A stored tensor buffer fits when the module's is still empty or has the same shape.
bool buffer_fits(const Tensor& current, const Tensor& stored) {
  return current.empty() || current.same_shape(stored);
}

}  // namespace

std::vector<std::string> parameter_keys(const std::vector<Parameter*>& params) {
  std::vector<std::string> keys;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < params.size(); ++i) {
    MOEGNN_CHECK(params[i] != nullptr, "params[", i, "] is null vs a parameter");
    keys.push_back(params[i]->name.empty() ? "param" + std::to_string(i) : params[i]->name);
    MOEGNN_CHECK(seen.insert(keys.back()).second, "parameter name '", keys.back(),
                 "' repeats vs unique names; register each child under its own name "
                 "(Module::register_module)");
  }
  return keys;
}

ModelSnapshot ModelSnapshot::capture(layers::Module& model) {
  ModelSnapshot out;
  for (const Parameter* p : model.parameters()) out.params_.push_back(p->value.clone());
  for (const layers::Buffer& b : model.buffers())
    out.buffers_.push_back(b.tensor != nullptr ? Stored{b.tensor->clone(), 0} : Stored{{}, *b.count});
  return out;
}

void ModelSnapshot::restore(layers::Module& model) const {
  const std::vector<Parameter*> params = model.parameters();
  const std::vector<layers::Buffer> buffers = model.buffers();
  MOEGNN_CHECK(params.size() == params_.size() && buffers.size() == buffers_.size(),
               "the model has ", params.size(), " parameters and ", buffers.size(),
               " buffers vs ", params_.size(), " and ", buffers_.size(), " in the snapshot");
  for (std::size_t i = 0; i < params.size(); ++i)
    MOEGNN_CHECK(params[i]->value.same_shape(params_[i]), "parameter '", params[i]->name, "' is ",
                 params[i]->value.shape_string(), " vs ", params_[i].shape_string(),
                 " in the snapshot");
  for (std::size_t i = 0; i < params.size(); ++i) params[i]->value.copy_from(params_[i]);
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    if (buffers[i].tensor != nullptr)
      *buffers[i].tensor = buffers_[i].tensor.clone();
    else
      *buffers[i].count = buffers_[i].count;
  }
}

void ModelSnapshot::write(Checkpoint& checkpoint, const std::string& prefix,
                          layers::Module& model) const {
  const std::vector<std::string> keys = parameter_keys(model.parameters());
  const std::vector<layers::Buffer> buffers = model.buffers();
  MOEGNN_CHECK(keys.size() == params_.size() && buffers.size() == buffers_.size(),
               "the model has ", keys.size(), " parameters and ", buffers.size(), " buffers vs ",
               params_.size(), " and ", buffers_.size(), " in the snapshot");
  for (std::size_t i = 0; i < keys.size(); ++i) checkpoint.add(prefix + keys[i], params_[i]);
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    if (buffers[i].tensor != nullptr)
      checkpoint.add(prefix + buffers[i].name, buffers_[i].tensor);
    else
      checkpoint.add_int64(prefix + buffers[i].name, {buffers_[i].count});
  }
}

ModelSnapshot ModelSnapshot::read(const Checkpoint& checkpoint, const std::string& prefix,
                                  layers::Module& model) {
  const std::vector<Parameter*> params = model.parameters();
  const std::vector<std::string> keys = parameter_keys(params);
  const auto require = [&](const std::string& key) {
    MOEGNN_CHECK_AS(InvalidArgument, "ModelSnapshot::read", checkpoint.contains(key),
                    "the checkpoint has no entry '", key,
                    "' vs one per model parameter and buffer; was it written for another model?");
  };
  ModelSnapshot out;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    require(prefix + keys[i]);
    Tensor value = checkpoint.tensor(prefix + keys[i]);
    MOEGNN_CHECK_AS(InvalidArgument, "ModelSnapshot::read", value.same_shape(params[i]->value),
                    "entry '", prefix + keys[i], "' is ", value.shape_string(), " vs ",
                    params[i]->value.shape_string(), " in the model");
    out.params_.push_back(std::move(value));
  }
  for (const layers::Buffer& b : model.buffers()) {
    const std::string key = prefix + b.name;
    require(key);
    if (b.tensor != nullptr) {
      Tensor value = checkpoint.tensor(key);
      MOEGNN_CHECK_AS(InvalidArgument, "ModelSnapshot::read", buffer_fits(*b.tensor, value),
                      "entry '", key, "' is ", value.shape_string(), " vs ",
                      b.tensor->shape_string(), " in the model");
      out.buffers_.push_back({std::move(value), 0});
    } else {
      const auto& count = checkpoint.int64(key);
      MOEGNN_CHECK_AS(InvalidArgument, "ModelSnapshot::read", count.size() == 1, "entry '", key,
                      "' has ", count.size(), " values vs 1");
      out.buffers_.push_back({Tensor(), count.front()});
    }
  }
  return out;
}

}  // namespace moegnn::training
