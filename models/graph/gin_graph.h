// SPDX-License-Identifier: Apache-2.0
// GinGraph: the graph isomorphism network for graph classification (Xu et al., 2019, §4.2), laid
// out as PyG's examples/gin.py: `num_layers` GINConv layers whose h_Θ is the MLP [in, hidden,
// hidden] with batch norm (Linear -> BN -> ReLU -> Linear), each followed by ReLU; a global
// readout (sum by default, eq. 4.2's SUM) of the last layer, or, with readout "all", of every
// layer concatenated (eq. 4.2's CONCAT over iterations, without the input layer); then the head MLP
// [readout width, hidden, out_channels] with dropout before its last layer.
#pragma once

#include <deque>
#include <string>

#include "core/rng.h"
#include "layers/gin_conv.h"
#include "layers/mlp.h"
#include "layers/pooling.h"
#include "models/graph/graph_model.h"

namespace moegnn::models {

struct GinGraphOptions {
  Index in_channels = 0;
  Index hidden_channels = 64;
  Index out_channels = 0;
  Index num_layers = 5;  // GINConv layers, >= 1
  float dropout = 0.5f;  // in the head MLP
  bool batch_norm = true;
  bool train_eps = false;
  std::string pool = "sum";      // sum, mean or max
  std::string readout = "last";  // "last" layer only, or "all" layers concatenated

  void fields(OptionFields& f);
};

class GinGraph final : public GraphModel {
 public:
  using Options = GinGraphOptions;
  // Throws InvalidArgument on non-positive channels or layers, dropout outside [0, 1), or an
  // unknown pool or readout.
  GinGraph(const GinGraphOptions& options, Rng& rng);

  Var forward(Tape& tape, const graph::GraphBatch& batch, Rng& rng) override;
  Index in_channels() const override { return options_.in_channels; }
  Index out_channels() const override { return options_.out_channels; }
  std::string describe() const override;

  // Registered parameters: conv0.nn.lin0.weight, ..., head.lin1.bias.

 private:
  GinGraphOptions options_;
  layers::Pool pool_;
  std::deque<layers::GINConv> convs_;
  layers::MLP head_;
};

}  // namespace moegnn::models
