// SPDX-License-Identifier: Apache-2.0
// Message-passing input checks and root rows.
#include "layers/detail/message_passing.h"

#include "core/error.h"
#include "core/ops/shape.h"

namespace moegnn::layers::detail {

void check_message_input(const char* function, const graph::Csr& graph, const Var& x,
                         Index in_channels) {
  MOEGNN_CHECK_AS(InvalidArgument, function, graph.num_rows() <= graph.num_cols(), "graph is ",
                  graph.num_rows(), " × ", graph.num_cols(),
                  " vs square or a block with no more target rows than source columns");
  MOEGNN_CHECK_AS(InvalidArgument, function, x.rows() == graph.num_cols(), "x has ", x.rows(),
                  " rows vs ", graph.num_cols(), " source nodes in the graph");
  MOEGNN_CHECK_AS(InvalidArgument, function, x.cols() == in_channels, "x has ", x.cols(),
                  " columns vs in_channels = ", in_channels);
  MOEGNN_CHECK_AS(InvalidArgument, function, x.value().device() == graph.device(), "x is on ",
                  to_string(x.value().device()), " vs the graph on ", to_string(graph.device()));
}

Var root_rows(Tape& tape, const graph::Csr& graph, Var x) {
  if (graph.is_square()) return x;
  return ops::slice_rows(tape, x, 0, graph.num_rows());
}

void require_cpu(const char* function, Device device) {
  MOEGNN_CHECK_AS(Unsupported, function, device == Device::Cpu,
                  "no CUDA kernel yet; move the tensors to Device::Cpu");
}

}  // namespace moegnn::layers::detail
