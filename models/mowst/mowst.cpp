// SPDX-License-Identifier: Apache-2.0
// Mowst: construction from the registry and the confidence forward.
#include "models/mowst/mowst.h"

#include <utility>

#include "core/error.h"
#include "models/mowst/confidence.h"

namespace moegnn::mowst {

Mowst::Mowst(std::unique_ptr<models::NodeModel> weak, std::unique_ptr<models::NodeModel> strong,
             const GateOptions& gate, bool dispersion_gradient, Rng& rng)
    : weak_(std::move(weak)),
      strong_(std::move(strong)),
      gate_(gate, rng),
      dispersion_gradient_(dispersion_gradient) {
  MOEGNN_CHECK_AS(InvalidArgument, "Mowst", weak_ != nullptr && strong_ != nullptr,
                  "an expert is null vs two models");
  register_module("weak", *weak_);
  register_module("strong", *strong_);
  register_module("", gate_);
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

std::unique_ptr<Mowst> make_mowst(const MowstModelOptions& options, Index in_channels,
                                  Index num_classes, Rng& rng) {
  const models::NodeModelShape shape{in_channels, num_classes};
  auto weak = models::make_node_model(options.weak, options.weak_config, shape, rng);
  auto strong = models::make_node_model(options.strong, options.strong_config, shape, rng);
  GateOptions gate = options.gate;
  gate.in_features = in_channels;
  return std::make_unique<Mowst>(std::move(weak), std::move(strong), gate,
                                 options.dispersion_gradient, rng);
}

}  // namespace moegnn::mowst
