// SPDX-License-Identifier: Apache-2.0
// The method table: the registered mixture methods, and every node model as a method of its own.
#include "models/methods.h"

#include <algorithm>

#include "core/error.h"
#include "core/optim/adam.h"
#include "models/mowst/method.h"
#include "models/training/fit.h"

namespace moegnn::models {
namespace {

std::vector<NodeMethodEntry>& table() {
  static std::vector<NodeMethodEntry> entries{
      mowst::node_method(mowst::Variant::Mowst),
      mowst::node_method(mowst::Variant::MowstStar),
  };
  return entries;
}

// "gcn: hidden 64, layers 2, ..." from the model's options with `config` applied.
std::string model_summary(const std::string& name, const ModelConfig& config) {
  std::string out = name;
  const ModelConfig known = known_options(name, config);
  const char* separator = ": ";
  for (const OptionInfo& o : node_model_entry_named(name).options()) {
    const auto it = known.find(o.key);
    out += separator + o.key + " " + (it != known.end() ? it->second : o.value);
    separator = ", ";
  }
  return out;
}

NodeMethodEntry model_method(const NodeModelEntry& model) {
  const std::string name = model.name;
  return {name,
          model.description,
          [] { return std::vector<OptionInfo>{}; },
          [name](const NodeRun& run) { return train_node_model(name, run); },
          [name](const ModelConfig& config, NodeModelShape shape) {
            Rng rng(0);
            return make_node_model(name, config, shape, rng)->num_parameters();
          },
          [name](const ModelConfig& config) { return model_summary(name, config); }};
}

}  // namespace

std::vector<std::string> node_method_names() {
  std::vector<std::string> names = node_model_names();
  for (const NodeMethodEntry& e : table()) names.push_back(e.name);
  return names;
}

NodeMethodEntry node_method(const std::string& name) {
  for (const NodeMethodEntry& e : table())
    if (e.name == name) return e;
  for (const NodeModelEntry& e : node_model_entries())
    if (e.name == name) return model_method(e);
  std::string known;
  const std::vector<std::string> names = node_method_names();
  for (const std::string& n : names) known += (known.empty() ? "" : ", ") + n;
  const std::string guess = closest_match(name, names);
  MOEGNN_FAIL(InvalidArgument, "--model", "unknown model '", name, "' vs one of ", known,
              guess.empty() ? "" : "; did you mean '" + guess + "'?");
}

void register_node_method(NodeMethodEntry entry) {
  const std::vector<std::string> names = node_method_names();
  MOEGNN_CHECK_AS(InvalidArgument, "register_node_method",
                  !entry.name.empty() && entry.run && entry.options && entry.num_parameters &&
                      entry.summary,
                  "entry '", entry.name,
                  "' lacks a name, runner, options, parameter count or summary vs all five");
  MOEGNN_CHECK_AS(InvalidArgument, "register_node_method",
                  std::find(names.begin(), names.end(), entry.name) == names.end(), "name '",
                  entry.name, "' is taken vs a new name");
  table().push_back(std::move(entry));
}

std::vector<OptionInfo> all_node_options() {
  std::vector<OptionInfo> out;
  const auto add = [&out](const std::vector<OptionInfo>& options) {
    for (const OptionInfo& o : options)
      if (std::none_of(out.begin(), out.end(), [&](const OptionInfo& x) { return x.key == o.key; }))
        out.push_back(o);
  };
  for (const NodeModelEntry& e : node_model_entries()) add(e.options());
  for (const NodeMethodEntry& e : table()) add(e.options());
  return out;
}

training::FitResult train_node_model(const std::string& name, const NodeRun& run) {
  Rng init(run.training.train.seed);
  std::unique_ptr<NodeModel> model = make_node_model(
      name, run.config, {run.features.cols(), run.num_classes}, init);
  model->to(run.training.device);
  training::TrainOptions train = run.training.train;
  if (!train.make_optimizer) {
    train.make_optimizer = [&m = *model, lr = train.lr, wd = train.weight_decay](
                               const std::vector<Parameter*>&) {
      return std::make_unique<optim::Adam>(m.parameter_groups(lr, wd));
    };
  }
  if (!run.training.sampling)
    return training::fit(*model, run.graph, run.features, run.split, train);
  const training::SamplingOptions& sampling = *run.training.sampling;
  MOEGNN_CHECK_AS(InvalidArgument, "--fanouts",
                  static_cast<Index>(sampling.fanouts.size()) == model->num_hops(), "got ",
                  sampling.fanouts.size(), " fanouts vs one per message-passing layer of ", name,
                  " (", model->num_hops(), ")");
  NodeModel& m = *model;
  training::BlockForwardFn forward = [&m](Tape& tape, const std::vector<graph::Block>& blocks,
                                          Var x, Rng& rng) {
    return m.forward_blocks(tape, blocks, x, rng);
  };
  return training::fit_mini_batch(m, std::move(forward), m.prepare(run.graph).csr(), run.features,
                                  run.split, train, sampling);
}

}  // namespace moegnn::models
