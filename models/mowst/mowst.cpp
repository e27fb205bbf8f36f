// SPDX-License-Identifier: Apache-2.0
// Mowst: construction from the registry and the confidence forward.
#include "models/mowst/mowst.h"

#include <utility>

#include "core/error.h"
#include "models/mowst/confidence.h"
#include "models/training/model_state.h"

namespace moegnn::mowst {
namespace {

std::vector<training::BatchNormRef> prefixed(std::vector<layers::BatchNorm>& layers,
                                             const std::string& prefix) {
  auto refs = training::batch_norm_refs(layers);
  for (auto& ref : refs) ref.name = prefix + ref.name;
  return refs;
}

}  // namespace

std::vector<training::BatchNormRef> node_model_batch_norms(models::NodeModel& model,
                                                           const std::string& prefix) {
  return prefixed(model.batch_norms(), prefix);
}

Mowst::Mowst(std::unique_ptr<models::NodeModel> weak, std::unique_ptr<models::NodeModel> strong,
             int weak_hops, int strong_hops, const GateOptions& gate, bool dispersion_gradient,
             Rng& rng)
    : weak_(std::move(weak)),
      strong_(std::move(strong)),
      weak_hops_(weak_hops),
      strong_hops_(strong_hops),
      gate_(gate, rng),
      dispersion_gradient_(dispersion_gradient) {
  MOEGNN_CHECK_AS(InvalidArgument, "Mowst", weak_ != nullptr && strong_ != nullptr,
                  "an expert is null vs two models");
  MOEGNN_CHECK_AS(InvalidArgument, "Mowst", weak_hops >= 0 && strong_hops >= 0, "hops are ",
                  weak_hops, " and ", strong_hops, " vs >= 0");
}

MowstGraphs Mowst::prepare(const graph::Csr& raw) const {
  return MowstGraphs{weak_->prepare(raw), strong_->prepare(raw)};
}

Var Mowst::confidence(Tape& tape, Var weak_logits, Var x, Rng& rng) {
  // §3.1: the dispersion of the weak expert's softmax; the reference computes it under no_grad.
  Var logits = dispersion_gradient_ ? weak_logits : tape.constant(weak_logits.value());
  Var d = dispersions(tape, logits);
  return gate_.forward(tape, d, gate_.options().input == GateInput::Dispersion ? Var{} : x, rng);
}

std::vector<Parameter*> Mowst::parameters() {
  std::vector<Parameter*> out;
  append(out, *weak_);
  append(out, *strong_);
  append(out, gate_);
  return out;
}

void Mowst::train(bool on) {
  Module::train(on);
  weak_->train(on);
  strong_->train(on);
  gate_.train(on);
}

std::vector<training::BatchNormRef> Mowst::weak_batch_norm_refs() {
  return node_model_batch_norms(*weak_, "weak.");
}

std::vector<training::BatchNormRef> Mowst::strong_batch_norm_refs() {
  return node_model_batch_norms(*strong_, "strong.");
}

std::vector<training::BatchNormRef> Mowst::batch_norm_refs() {
  auto refs = weak_batch_norm_refs();
  for (auto& ref : strong_batch_norm_refs()) refs.push_back(ref);
  Index i = 0;
  for (auto* bn : gate_.batch_norms())
    refs.push_back({"gate.bn" + std::to_string(i++) + ".", &bn->stats()});
  return refs;
}

std::unique_ptr<Mowst> make_mowst(const MowstModelOptions& options, Index in_channels,
                                  Index num_classes, Rng& rng) {
  auto build = [&](const std::string& name, models::NodeModelOptions o) {
    o.in_channels = in_channels;
    o.out_channels = num_classes;
    return models::make_node_model(name, o, rng);
  };
  auto hops = [](const std::string& name, const models::NodeModelOptions& o) {
    return name == "mlp" ? 0 : static_cast<int>(o.num_layers);
  };
  auto weak = build(options.weak, options.weak_options);
  auto strong = build(options.strong, options.strong_options);
  GateOptions gate = options.gate;
  gate.in_features = in_channels;
  return std::make_unique<Mowst>(
      std::move(weak), std::move(strong), hops(options.weak, options.weak_options),
      hops(options.strong, options.strong_options), gate, options.dispersion_gradient, rng);
}

}  // namespace moegnn::mowst
