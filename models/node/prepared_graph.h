// SPDX-License-Identifier: Apache-2.0
// PreparedGraph: the graph a node model's forward() runs on, as that model's prepare() built it
// (GCN: Â with self-loops, GAT: one self-loop per node, ...). It is its own type so that passing
// the dataset's raw graph to forward() does not compile, and it records which model class prepared
// it, so a graph prepared by another model is refused with a clear error at the first forward:
// either mistake would otherwise run and give plausible but wrong logits.
#pragma once

#include <string>
#include <typeinfo>
#include <utility>

#include "graph/csr.h"

namespace moegnn::models {

class NodeModel;

class PreparedGraph {
 public:
  PreparedGraph() = default;  // empty; forward() refuses it

  const graph::Csr& csr() const { return csr_; }
  Index num_nodes() const { return csr_.num_nodes(); }
  // The class of the model whose prepare() built it ("Gcn").
  const std::string& prepared_by() const { return prepared_by_; }

  // The same graph on `device` (Csr::to).
  PreparedGraph to(Device device) const { return {csr_.to(device), prepared_by_, type_}; }
  // A graph derived from this one by an operation that keeps the preparation (a subgraph of the
  // prepared graph, as routed inference takes on a node's L-hop closure), for the same model.
  PreparedGraph derived(graph::Csr csr) const { return {std::move(csr), prepared_by_, type_}; }

 private:
  friend class NodeModel;
  PreparedGraph(graph::Csr csr, std::string prepared_by, const std::type_info* type)
      : csr_(std::move(csr)),
        prepared_by_(std::move(prepared_by)),
        type_(type) {}

  graph::Csr csr_;
  std::string prepared_by_;               // for messages
  const std::type_info* type_ = nullptr;  // what forward() compares: no string work per call
};

}  // namespace moegnn::models
