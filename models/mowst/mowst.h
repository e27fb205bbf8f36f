// SPDX-License-Identifier: Apache-2.0
// Mowst: the mixture of a weak and a strong expert with a confidence gate (Zeng et al., "Mixture
// of Weak & Strong Experts on Graphs", ICLR 2024). The weak expert (an MLP by default; any
// NodeModel works, a GNN too) predicts for every node; its dispersion, shaped by the gate, gives
// the confidence C_v that decides how much the node relies on it rather than on the strong expert
// (a GNN). This class holds the three modules and the forward pieces; training is in
// models/mowst/train.h, routed inference in models/mowst/inference.h.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "graph/csr.h"
#include "layers/module.h"
#include "models/mowst/gate.h"
#include "models/node/node_model.h"
#include "models/registry.h"
#include "models/training/options.h"

namespace moegnn::mowst {

// What to build: the experts by registry name (models/registry.h) and their options as text (each
// expert's defaults for missing keys; widths come from make_mowst), and the gate.
struct MowstModelOptions {
  std::string weak = "mlp";
  std::string strong = "gcn";
  models::ModelConfig weak_config{};
  models::ModelConfig strong_config{};
  GateOptions gate{};  // in_features is filled in by make_mowst
  // false (reference code): C is a constant for the weak expert (no gradient through D).
  bool dispersion_gradient = false;
};

// Each expert's graph, from its prepare() (built once per graph).
struct MowstGraphs {
  models::PreparedGraph weak;
  models::PreparedGraph strong;
};

class Mowst final : public layers::Module {
 public:
  // Registers the experts as "weak" and "strong" and the gate (whose names start with "gate.").
  // Throws InvalidArgument for null experts.
  Mowst(std::unique_ptr<models::NodeModel> weak, std::unique_ptr<models::NodeModel> strong,
        const GateOptions& gate, bool dispersion_gradient, Rng& rng);

  MowstGraphs prepare(const graph::Csr& raw) const;

  // Confidence of the weak expert's logits (m × K) -> m × 1 (Prop. 2.2, C = G ∘ D). x: m × F
  // features, read by the feature gate modes. With dispersion_gradient == false the dispersion is
  // taken from the logits' values (no gradient to the weak expert), as the reference code.
  Var confidence(Tape& tape, Var weak_logits, Var x, Rng& rng);

  models::NodeModel& weak() { return *weak_; }
  models::NodeModel& strong() { return *strong_; }
  ConfidenceGate& gate() { return gate_; }
  // The experts' receptive fields (NodeModel::num_hops), used by routed inference.
  Index weak_hops() const { return weak_->num_hops(); }
  Index strong_hops() const { return strong_->num_hops(); }

 private:
  std::unique_ptr<models::NodeModel> weak_;
  std::unique_ptr<models::NodeModel> strong_;
  ConfidenceGate gate_;
  bool dispersion_gradient_;
};

// Builds the experts with models::make_node_model (in/out channels from the arguments) and the
// gate. Throws InvalidArgument as the registry and the gate do.
std::unique_ptr<Mowst> make_mowst(const MowstModelOptions& options, Index in_channels,
                                  Index num_classes, Rng& rng);

}  // namespace moegnn::mowst
