// SPDX-License-Identifier: Apache-2.0
// Node-classification methods: what the apps run for `--model NAME`. Every registered node model
// (models/registry.h) is a method, trained by the Trainer on the full graph or on sampled blocks; a
// mixture method (Mowst, later GMoPE) registers a runner and its own option keys here, so the apps
// hold no per-method branch. A method sees one run at a time: the dataset, the run's split and
// seed, the options as text (its own keys and its experts'), and the training settings; it returns
// the run as a training::FitResult (method-specific numbers in FitResult::extras), which
// training::summarize_runs turns into the mean ± std every app prints.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "graph/csr.h"
#include "models/options.h"
#include "models/registry.h"
#include "models/training/history.h"
#include "models/training/options.h"

namespace moegnn::models {

// The training settings of one run, as the app's flags give them.
struct NodeTraining {
  training::TrainOptions train{};  // seed, checkpoint and log paths already those of the run
  std::optional<training::SamplingOptions> sampling{};  // set: neighbour-sampled mini-batches
  Device device = Device::Cpu;
};

struct NodeRun {
  const graph::Csr& graph;   // the dataset's graph as loaded (each model prepares its own)
  const Tensor& features;    // num_nodes × F, on training.device
  Index num_classes = 0;
  training::LabeledSplit split;
  const ModelConfig& config;  // model and method options (--model-config, the model flags)
  NodeTraining training;
};

struct NodeMethodEntry {
  std::string name;
  std::string description;
  // The method's own keys (Mowst: weak, strong, gate, ...); a plain model has none beyond its own.
  std::function<std::vector<OptionInfo>()> options;
  // Trains and evaluates one run. Throws InvalidArgument for options it rejects.
  std::function<training::FitResult(const NodeRun& run)> run;
  // Trainable scalars of the model `config` builds for `shape`.
  std::function<Index(const ModelConfig& config, NodeModelShape shape)> num_parameters;
  // One line naming the model and its settings, for the results table.
  std::function<std::string(const ModelConfig& config)> summary;
  bool supports_cuda = true;      // false: --device auto picks the CPU, --device cuda is refused
  bool supports_sampling = true;  // false: --batch-size > 0 is refused
  bool supports_other_metrics = true;  // false: selects and reports accuracy only (Mowst)
};

// Every method name: the registered models, then the registered mixture methods.
std::vector<std::string> node_method_names();
// The method `name`: a registered mixture method, or a node model trained by the Trainer. Throws
// InvalidArgument for an unknown name, listing the known ones and the closest.
NodeMethodEntry node_method(const std::string& name);
// Adds a mixture method. Throws InvalidArgument for an empty or taken name (models included) or a
// missing runner.
void register_node_method(NodeMethodEntry entry);

// Every option key any model or method knows, first occurrence first, for the apps' flags.
std::vector<OptionInfo> all_node_options();

// The runner of a plain node model: builds `name` from the config with Rng(seed), moves it to the
// device and trains it with training::fit (or fit_mini_batch). Throws InvalidArgument when the
// sampling fanouts do not give one per message-passing layer.
training::FitResult train_node_model(const std::string& name, const NodeRun& run);

}  // namespace moegnn::models
