// SPDX-License-Identifier: Apache-2.0
// NodeModel: prepare() and forward() around each model's prepare_graph() and forward_graph().
#include "models/node/node_model.h"

#include <cstdlib>
#include <memory>
#include <typeinfo>

#include <cxxabi.h>

#include "core/error.h"

namespace moegnn::models {

std::string NodeModel::class_name() const {
  const char* mangled = typeid(*this).name();
  int status = 0;
  const std::unique_ptr<char, void (*)(void*)> demangled(
      abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
  std::string name = status == 0 && demangled ? demangled.get() : mangled;
  const std::size_t colon = name.rfind("::");
  return colon == std::string::npos ? name : name.substr(colon + 2);
}

std::vector<optim::ParamGroup> NodeModel::parameter_groups(float lr, float weight_decay) {
  return {{parameters(), lr, weight_decay}};
}

PreparedGraph NodeModel::prepare(const graph::Csr& raw) const {
  return PreparedGraph(prepare_graph(raw), class_name(), &typeid(*this));
}

Var NodeModel::forward(Tape& tape, const PreparedGraph& graph, Var x, Rng& rng) {
  if (graph.type_ == nullptr || *graph.type_ != typeid(*this)) [[unlikely]] {
    const std::string name = class_name();  // names only for the message
    MOEGNN_FAIL(InvalidArgument, (name + "::forward").c_str(), "the graph was prepared by ",
                graph.prepared_by().empty() ? std::string("no model") : graph.prepared_by(),
                " vs by ", name, "; pass this model's prepare(raw) of the dataset's graph");
  }
  return forward_graph(tape, graph.csr(), x, rng);
}

Var NodeModel::forward_blocks(Tape& /*tape*/, const std::vector<graph::Block>& /*blocks*/,
                              Var /*x*/, Rng& /*rng*/) {
  MOEGNN_FAIL(Unsupported, "NodeModel::forward_blocks",
              "this model does not run on sampled blocks vs a model with block support (gcn, "
              "sage, gat, gin); train it full-batch instead");
}

Var NodeModel::forward_blocks_hooked(Tape& /*tape*/, const std::vector<graph::Block>& /*blocks*/,
                                     Var /*x*/, Rng& /*rng*/, const LayerInputFn& /*layer_input*/) {
  MOEGNN_FAIL(Unsupported, "NodeModel::forward_blocks_hooked",
              "this model does not run layer by layer on blocks vs a model with block support "
              "(gcn, sage, gat, gin); train it on one process instead");
}

}  // namespace moegnn::models
