// SPDX-License-Identifier: Apache-2.0
// Mowst and Mowst* as node-classification methods (models/methods.h): their own option keys (the
// experts by name, the gate, pretraining), the rest of the config shared by the two experts (each
// takes the keys it knows; a key neither knows is an error), and a runner that trains one run with
// train_mowst and reports it as the baselines are reported, with the reference's numbers (accuracy
// expected under random routing, the mixture's for Mowst*) and the routing as extras.
#pragma once

#include <array>
#include <string>

#include "models/methods.h"
#include "models/mowst/train.h"

namespace moegnn::mowst {

// The keys Mowst adds to its experts' options.
struct MowstMethodOptions {
  std::string weak = "mlp";
  std::string strong = "gcn";
  std::string gate = "dispersion";  // dispersion | features | hypernetwork
  float gate_dropout = 0.5f;        // the gate MLP's dropout (reference: dropout_gate)
  float lr_gate = 0.01f;            // the gate's learning rate
  std::string pretrain = "both";    // none | weak | strong | both

  void fields(models::OptionFields& f) {
    f.field("weak", weak, "mowst: the weak expert (a model name)");
    f.field("strong", strong, "mowst: the strong expert (a model name)");
    static constexpr std::array<std::string_view, 3> kGates{"dispersion", "features",
                                                            "hypernetwork"};
    f.field("gate", gate, "mowst: the gate's input", kGates);
    f.field("gate-dropout", gate_dropout, "mowst: dropout of the gate's hidden layers",
            {0.0, 0.99});
    f.field("lr-gate", lr_gate, "mowst: the gate's learning rate", {1e-12, 1e6});
    static constexpr std::array<std::string_view, 4> kPretrain{"none", "weak", "strong", "both"};
    f.field("pretrain", pretrain, "mowst: experts pretrained alone first", kPretrain);
  }
};

// The method entry of `variant` ("mowst" or "mowst-star").
models::NodeMethodEntry node_method(Variant variant);

}  // namespace moegnn::mowst
