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
#include "models/node_model.h"
#include "models/registry.h"
#include "models/training/options.h"

namespace moegnn::mowst {

// What to build: the experts by registry name (models/registry.h) and their options (in/out
// channels are filled in by make_mowst), and the gate.
struct MowstModelOptions {
  std::string weak = "mlp";
  std::string strong = "gcn";
  models::NodeModelOptions weak_options{};
  models::NodeModelOptions strong_options{};
  GateOptions gate{};  // in_features is filled in by make_mowst
  // false (reference code): C is a constant for the weak expert (no gradient through D).
  bool dispersion_gradient = false;
};

// Each expert's graph, from its prepare() (built once per graph).
struct MowstGraphs {
  graph::Csr weak;
  graph::Csr strong;
};

class Mowst final : public layers::Module {
 public:
  // strong_hops: message-passing rounds of the strong expert (its receptive field, used by routed
  // inference; 0 for a graph-free model). Throws InvalidArgument for null experts or negative hops.
  Mowst(std::unique_ptr<models::NodeModel> weak, std::unique_ptr<models::NodeModel> strong,
        int weak_hops, int strong_hops, const GateOptions& gate, bool dispersion_gradient,
        Rng& rng);

  MowstGraphs prepare(const graph::Csr& raw) const;

  // Confidence of the weak expert's logits (m × K) -> m × 1 (Prop. 2.2, C = G ∘ D). x: m × F
  // features, read by the feature gate modes. With dispersion_gradient == false the dispersion is
  // taken from the logits' values (no gradient to the weak expert), as the reference code.
  Var confidence(Tape& tape, Var weak_logits, Var x, Rng& rng);

  models::NodeModel& weak() { return *weak_; }
  models::NodeModel& strong() { return *strong_; }
  ConfidenceGate& gate() { return gate_; }
  int weak_hops() const { return weak_hops_; }
  int strong_hops() const { return strong_hops_; }

  // weak's, then strong's, then the gate's parameters.
  std::vector<Parameter*> parameters() override;
  void train(bool on = true) override;

  // Batch-norm statistics of the experts (for the registry models) and of the gate, named
  // "weak.<bn>", "strong.<bn>", "gate.<bn>", for snapshots.
  std::vector<training::BatchNormRef> batch_norm_refs();
  std::vector<training::BatchNormRef> weak_batch_norm_refs();
  std::vector<training::BatchNormRef> strong_batch_norm_refs();

 private:
  std::unique_ptr<models::NodeModel> weak_;
  std::unique_ptr<models::NodeModel> strong_;
  int weak_hops_;
  int strong_hops_;
  ConfidenceGate gate_;
  bool dispersion_gradient_;
};

// Builds the experts with models::make_node_model (in/out channels set from the arguments) and the
// gate. Hops: num_layers for gcn, sage, gat, gin; 0 for mlp. Throws InvalidArgument as the registry
// and the gate do.
std::unique_ptr<Mowst> make_mowst(const MowstModelOptions& options, Index in_channels,
                                  Index num_classes, Rng& rng);

// The BatchNorm refs of a NodeModel (NodeModel::batch_norms(): the outer layers of Mlp, Gcn,
// Sage, Gat, Gin). Names are prefixed with `prefix`.
std::vector<training::BatchNormRef> node_model_batch_norms(models::NodeModel& model,
                                                           const std::string& prefix);

}  // namespace moegnn::mowst
