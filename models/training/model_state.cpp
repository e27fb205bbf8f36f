// SPDX-License-Identifier: Apache-2.0
// Copies of parameters and batch-norm statistics, and their checkpoint entries.
#include "models/training/model_state.h"

#include <set>

#include "core/error.h"

namespace moegnn::training {
namespace {

void check_refs(const std::vector<Parameter*>& params, const std::vector<BatchNormRef>& bns,
                const char* function) {
  for (std::size_t i = 0; i < params.size(); ++i)
    MOEGNN_CHECK_AS(InvalidArgument, function, params[i] != nullptr, "params[", i,
                    "] is null vs a parameter");
  for (std::size_t i = 0; i < bns.size(); ++i)
    MOEGNN_CHECK_AS(InvalidArgument, function, bns[i].stats != nullptr, "batch_norms[", i, "] ('",
                    bns[i].name, "') has null stats vs the layer's statistics");
}

// A stored running statistic fits when the layer has none yet (a fresh model before its first
// forward) or has the same shape.
bool stats_fit(const Tensor& current, const Tensor& stored) {
  return current.empty() || current.same_shape(stored);
}

}  // namespace

std::vector<BatchNormRef> batch_norm_refs(std::vector<layers::BatchNorm>& layers) {
  std::vector<BatchNormRef> out;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    std::string name = layers[i].parameters().front()->name;
    const std::string suffix = "weight";
    if (name.size() > suffix.size() && name.ends_with(suffix))
      name.resize(name.size() - suffix.size());
    else
      name = "bn" + std::to_string(i) + ".";
    out.push_back({name, &layers[i].stats()});
  }
  return out;
}

std::vector<std::string> parameter_keys(const std::vector<Parameter*>& params) {
  std::vector<std::string> keys;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < params.size(); ++i) {
    MOEGNN_CHECK(params[i] != nullptr, "params[", i, "] is null vs a parameter");
    keys.push_back(params[i]->name.empty() ? "param" + std::to_string(i) : params[i]->name);
    MOEGNN_CHECK(seen.insert(keys.back()).second, "parameter name '", keys.back(),
                 "' repeats vs unique names; prefix the children's names "
                 "(Module::prefix_parameter_names)");
  }
  return keys;
}

ModelSnapshot ModelSnapshot::capture(const std::vector<Parameter*>& params,
                                     const std::vector<BatchNormRef>& batch_norms) {
  check_refs(params, batch_norms, "ModelSnapshot::capture");
  ModelSnapshot out;
  for (const Parameter* p : params) out.params_.push_back(p->value.clone());
  for (const BatchNormRef& bn : batch_norms)
    out.batch_norms_.push_back(
        {bn.stats->running_mean.clone(), bn.stats->running_var.clone(), bn.stats->num_batches});
  return out;
}

void ModelSnapshot::restore(const std::vector<Parameter*>& params,
                            const std::vector<BatchNormRef>& batch_norms) const {
  check_refs(params, batch_norms, "ModelSnapshot::restore");
  MOEGNN_CHECK(params.size() == params_.size() && batch_norms.size() == batch_norms_.size(),
               "the model has ", params.size(), " parameters and ", batch_norms.size(),
               " batch norms vs ", params_.size(), " and ", batch_norms_.size(),
               " in the snapshot");
  for (std::size_t i = 0; i < params.size(); ++i)
    MOEGNN_CHECK(params[i]->value.same_shape(params_[i]), "parameter '", params[i]->name, "' is ",
                 params[i]->value.shape_string(), " vs ", params_[i].shape_string(),
                 " in the snapshot");
  for (std::size_t i = 0; i < params.size(); ++i) params[i]->value.copy_from(params_[i]);
  for (std::size_t i = 0; i < batch_norms.size(); ++i) {
    const ops::BatchNormStats& s = batch_norms_[i];
    *batch_norms[i].stats = {s.running_mean.clone(), s.running_var.clone(), s.num_batches};
  }
}

void ModelSnapshot::write(models::Checkpoint& checkpoint, const std::string& prefix,
                          const std::vector<Parameter*>& params,
                          const std::vector<BatchNormRef>& batch_norms) const {
  const std::vector<std::string> keys = parameter_keys(params);
  MOEGNN_CHECK(keys.size() == params_.size() && batch_norms.size() == batch_norms_.size(),
               "the model has ", keys.size(), " parameters and ", batch_norms.size(),
               " batch norms vs ", params_.size(), " and ", batch_norms_.size(),
               " in the snapshot");
  for (std::size_t i = 0; i < keys.size(); ++i) checkpoint.add(prefix + keys[i], params_[i]);
  for (std::size_t i = 0; i < batch_norms.size(); ++i) {
    const std::string key = prefix + batch_norms[i].name;
    checkpoint.add(key + "running_mean", batch_norms_[i].running_mean);
    checkpoint.add(key + "running_var", batch_norms_[i].running_var);
    checkpoint.add_int64(key + "num_batches_tracked", {batch_norms_[i].num_batches});
  }
}

ModelSnapshot ModelSnapshot::read(const models::Checkpoint& checkpoint, const std::string& prefix,
                                  const std::vector<Parameter*>& params,
                                  const std::vector<BatchNormRef>& batch_norms) {
  check_refs(params, batch_norms, "ModelSnapshot::read");
  const std::vector<std::string> keys = parameter_keys(params);
  const auto require = [&](const std::string& key) {
    MOEGNN_CHECK_AS(InvalidArgument, "ModelSnapshot::read", checkpoint.contains(key),
                    "the checkpoint has no entry '", key,
                    "' vs one per model parameter; was it written for another model?");
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
  for (const BatchNormRef& bn : batch_norms) {
    const std::string key = prefix + bn.name;
    for (const char* part : {"running_mean", "running_var", "num_batches_tracked"})
      require(key + part);
    ops::BatchNormStats s{checkpoint.tensor(key + "running_mean"),
                          checkpoint.tensor(key + "running_var"), 0};
    const auto& count = checkpoint.int64(key + "num_batches_tracked");
    MOEGNN_CHECK_AS(InvalidArgument, "ModelSnapshot::read", count.size() == 1, "entry '", key,
                    "num_batches_tracked' has ", count.size(), " values vs 1");
    s.num_batches = count.front();
    MOEGNN_CHECK_AS(InvalidArgument, "ModelSnapshot::read",
                    stats_fit(bn.stats->running_mean, s.running_mean) &&
                        stats_fit(bn.stats->running_var, s.running_var),
                    "entries '", key, "running_*' are ", s.running_mean.shape_string(), " vs ",
                    bn.stats->running_mean.shape_string(), " in the model");
    out.batch_norms_.push_back(std::move(s));
  }
  return out;
}

}  // namespace moegnn::training
