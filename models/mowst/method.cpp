// SPDX-License-Identifier: Apache-2.0
// Mowst as a method: options split between the mixture and its experts, and the per-run runner.
#include "models/mowst/method.h"

#include "core/error.h"
#include "models/mowst/run.h"

namespace moegnn::mowst {
namespace {

struct Parsed {
  MowstMethodOptions method;
  MowstModelOptions model;
};

// Mowst's keys, then each expert's share of the rest. Throws InvalidArgument naming `owner` for a
// key neither Mowst nor an expert knows.
Parsed parse(const models::ModelConfig& config, const std::string& owner) {
  std::set<std::string, std::less<>> used;
  Parsed p;
  p.method = models::read_options<MowstMethodOptions>(config, owner, {},
                                                      models::UnknownKeys::Ignore, &used);
  models::ModelConfig rest;
  for (const auto& [key, value] : config)
    if (!used.contains(key)) rest.emplace(key, value);
  p.model.weak = p.method.weak;
  p.model.strong = p.method.strong;
  p.model.weak_config = models::known_options(p.method.weak, rest);
  p.model.strong_config = models::known_options(p.method.strong, rest);
  for (const auto& [key, value] : rest)
    MOEGNN_CHECK_AS(InvalidArgument, owner.c_str(),
                    p.model.weak_config.contains(key) || p.model.strong_config.contains(key),
                    "option '", key, "' is known to neither expert (weak ", p.method.weak,
                    ", strong ", p.method.strong, ") nor to ", owner);
  p.model.gate.input = p.method.gate == "features"       ? GateInput::DispersionFeatures
                       : p.method.gate == "hypernetwork" ? GateInput::Hypernetwork
                                                         : GateInput::Dispersion;
  p.model.gate.dropout = p.method.gate_dropout;
  p.model.gate.hyper_dropout = p.method.gate_dropout;
  return p;
}

Pretrain pretrain_of(const std::string& text) {
  return text == "none"     ? Pretrain::None
         : text == "weak"   ? Pretrain::Weak
         : text == "strong" ? Pretrain::Strong
                            : Pretrain::Both;
}

training::FitResult run_one(Variant variant, const std::string& name,
                            const models::NodeRun& run) {
  const Parsed p = parse(run.config, name);
  const training::TrainOptions& t = run.training.train;
  MowstConfig c;
  c.model = p.model;
  c.train.variant = variant;
  c.train.lr = t.lr;
  c.train.lr_gate = p.method.lr_gate;
  c.train.weight_decay = t.weight_decay;
  c.train.pretrain = pretrain_of(p.method.pretrain);
  c.train.pretrain_epochs = t.epochs;
  c.train.turn_epochs = t.epochs;
  c.train.epochs = t.epochs;
  if (t.early_stopping.patience > 0) {
    c.train.pretrain_patience = t.early_stopping.patience;
    c.train.turn_patience = t.early_stopping.patience;
    c.train.patience = t.early_stopping.patience;
  }
  c.train.checkpoint_path = t.checkpoint_path;
  c.train.resume = t.resume;
  c.train.override_hyperparameters = t.override_hyperparameters;
  c.train.log_path = t.log_path;
  c.train.progress = t.progress;
  c.runs = 1;
  c.seed = t.seed;
  c.name = name;
  return run_mowst(run.graph, run.features, run.num_classes, {run.split}, c)
      .summary.runs.front();
}

}  // namespace

models::NodeMethodEntry node_method(Variant variant) {
  const std::string name = variant == Variant::Mowst ? "mowst" : "mowst-star";
  models::NodeMethodEntry e;
  e.name = name;
  e.description = variant == Variant::Mowst
                      ? "mixture of a weak and a strong expert (Zeng et al., 2024)"
                      : "Mowst*: the mixture trained jointly on one loss (Zeng et al., 2024)";
  e.options = [] { return models::describe_options<MowstMethodOptions>(); };
  e.run = [variant, name](const models::NodeRun& run) { return run_one(variant, name, run); };
  e.num_parameters = [name](const models::ModelConfig& config, models::NodeModelShape shape) {
    Rng rng(0);
    return make_mowst(parse(config, name).model, shape.in_channels, shape.out_channels, rng)
        ->num_parameters();
  };
  e.summary = [name](const models::ModelConfig& config) {
    const Parsed p = parse(config, name);
    return name + " (weak " + p.method.weak + ", strong " + p.method.strong + ", gate " +
           p.method.gate + ", pretrain " + p.method.pretrain + ")";
  };
  e.supports_cuda = false;
  e.supports_sampling = false;
  e.supports_other_metrics = false;
  return e;
}

}  // namespace moegnn::mowst
