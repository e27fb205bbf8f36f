// SPDX-License-Identifier: Apache-2.0
// GraphModel: the interface of graph-level models (graph classification and regression): a batch
// of graphs (graph/graph_batch.h) in, one row of outputs per graph out. The trainer's graph task
// (models/training/graph_task.h) and the apps need nothing else; parameters, buffers and the
// train/eval switch come from layers::Module.
#pragma once

#include <string>

#include "core/rng.h"
#include "core/tape.h"
#include "graph/graph_batch.h"
#include "layers/module.h"
#include "models/options.h"

namespace moegnn::models {

// What built a model: its registry name and options as text (for results files).
struct GraphModelOrigin {
  std::string name;
  ModelConfig options;
};

class GraphModel : public layers::Module {
 public:
  // batch.x: num_nodes × in_channels() -> num_graphs × out_channels() (logits or predictions).
  // `rng` draws dropout masks in training mode. Throws InvalidArgument on a shape mismatch.
  virtual Var forward(Tape& tape, const graph::GraphBatch& batch, Rng& rng) = 0;
  virtual Index in_channels() const = 0;
  virtual Index out_channels() const = 0;
  // A one-line summary for logs ("gin: hidden 64, layers 5, pool sum").
  virtual std::string describe() const = 0;

  const GraphModelOrigin& origin() const { return origin_; }
  void set_origin(GraphModelOrigin origin) { origin_ = std::move(origin); }

 private:
  GraphModelOrigin origin_;
};

}  // namespace moegnn::models
