// SPDX-License-Identifier: Apache-2.0
// NodeModel: the interface every node-classification model offers the trainer and the apps, so
// they can treat MLP, GCN, GraphSAGE, GAT, GIN (and later MoE models) uniformly. A model states
// the graph it wants with prepare() (GCN: Â with self-loops; GAT: self-loops; others the raw
// structure), which the caller runs once per graph and passes to every forward (a PreparedGraph,
// so the raw graph cannot be passed by mistake); models keep no per-graph state, so one model can
// run on several graphs. Parameters, buffers, train() and to()
// come from the registered children (layers/module.h).
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/optim/optimizer.h"
#include "core/rng.h"
#include "core/tape.h"
#include "graph/block.h"
#include "graph/csr.h"
#include "layers/module.h"
#include "models/node/prepared_graph.h"
#include "models/options.h"

namespace moegnn::models {

class NodeModel : public layers::Module {
 public:
  // The graph forward() expects, built from `raw` (square, rows = in-neighbours, with or without
  // edge values and self-loops, e.g. a NodeDataset's graph) by prepare_graph(). Cost: O(nnz) at
  // most; call it once per graph. Throws InvalidArgument as the graph transforms it uses (e.g. a
  // non-square graph).
  PreparedGraph prepare(const graph::Csr& raw) const;

  // graph: prepare()'s result; x: num_nodes × in_channels -> logits num_nodes × out_channels (no
  // softmax: ops::cross_entropy fuses it). `rng` draws dropout masks in training mode. Throws
  // InvalidArgument for a graph another model class prepared (or an empty one) and on a shape
  // mismatch.
  Var forward(Tape& tape, const PreparedGraph& graph, Var x, Rng& rng);

  // Neighbour-sampled form (training::BlockForwardFn): blocks, sampled from prepare()'s graph,
  // run input layer first, x holds the features of blocks.front().src_nodes -> logits of
  // blocks.back()'s destinations. Models whose layers cannot run on sampled blocks keep this
  // default, which throws Unsupported.
  virtual Var forward_blocks(Tape& tape, const std::vector<graph::Block>& blocks, Var x, Rng& rng);

  // forward_blocks with a hook on each layer's input, the seam of distributed training
  // (dist/train.h): x and every layer's input h hold the rows of blocks[l]'s destinations (a
  // rank's owned nodes), and layer_input(l, h) returns the rows of blocks[l]'s sources (owned then
  // halo: a halo exchange), num_src() of them. Models whose layers cannot run on blocks keep this
  // default, which throws Unsupported.
  using LayerInputFn = std::function<Var(Index layer, Var h)>;
  virtual Var forward_blocks_hooked(Tape& tape, const std::vector<graph::Block>& blocks, Var x,
                                    Rng& rng, const LayerInputFn& layer_input);

  // Message-passing rounds: a node's logits depend on its num_hops()-hop neighbourhood (0 for a
  // model that ignores the graph). Samplers, routed inference and halo exchange size themselves
  // from it.
  virtual Index num_hops() const = 0;

  // What the model was built from when the registry built it (make_node_model): its registered
  // name, its options as text and its widths, so a saved model can be rebuilt from the file alone
  // (models/model_io.h). Empty name for a model constructed directly.
  struct Origin {
    std::string name;
    ModelConfig config;
    Index in_channels = 0;
    Index out_channels = 0;
  };
  const Origin& origin() const { return origin_; }
  void set_origin(Origin origin) { origin_ = std::move(origin); }

  // The model's class name ("Gcn"), as PreparedGraph::prepared_by records it.
  std::string class_name() const;

  // The optimizer's parameter groups at the run's learning rate and weight decay: one group of
  // every parameter, unless a model decays some parameters differently (NSD's sheaf learners,
  // the reference's `sheaf_decay`). Every parameter appears in exactly one group.
  virtual std::vector<optim::ParamGroup> parameter_groups(float lr, float weight_decay);

 protected:
  // What prepare() wraps: the model's graph built from `raw`.
  virtual graph::Csr prepare_graph(const graph::Csr& raw) const = 0;
  // What forward() runs once the graph is checked: `graph` is prepare_graph()'s result (or a
  // subgraph of it).
  virtual Var forward_graph(Tape& tape, const graph::Csr& graph, Var x, Rng& rng) = 0;

 private:
  Origin origin_{};
};

}  // namespace moegnn::models
