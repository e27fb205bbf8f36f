// SPDX-License-Identifier: Apache-2.0
// SAGEConv: GraphSAGE (Hamilton, Ying & Leskovec, 2017), alg. 1 line 5 in PyG's form
// x_i' = W_l · aggr_{j ∈ N(i)} x_j + W_r · x_i + b, with aggr = mean (default), max or sum over the
// in-neighbours (row i of the graph) and optional L2 normalisation of each output row (line 7).
// Parameter names follow PyG: lin_l (with the bias) acts on the aggregate, lin_r (no bias) on the
// root. For mean and sum the product with W_l commutes with the aggregation, so the layer
// transforms first when that shrinks the width the sparse product moves (out < in), as GCNConv
// does. Edge values, when the graph has them, weight the messages (ops::spmm); pass an unweighted
// graph for PyG's SAGEConv, which ignores edge weights.
#pragma once

#include <vector>

#include "core/rng.h"
#include "graph/csr.h"
#include "layers/module.h"
#include "layers/ops/spmm.h"

namespace moegnn::layers {

struct SAGEConvOptions {
  enum class Order { Auto, TransformFirst, AggregateFirst };
  Index in_channels = 0;
  Index out_channels = 0;
  ops::Reduce aggr = ops::Reduce::Mean;
  bool root_weight = true;  // add W_r · x_i
  bool bias = true;
  bool normalize = false;     // x_i' / max(‖x_i'‖₂, 1e-12), as F.normalize
  Order order = Order::Auto;  // Auto: transform first iff aggr != Max and out < in
};

class SAGEConv final : public Module {
 public:
  // Glorot-uniform weights (in × out), zero bias (1 × out). Throws InvalidArgument on non-positive
  // channels, or order TransformFirst with aggr Max (max does not commute with W_l).
  SAGEConv(const SAGEConvOptions& options, Rng& rng);

  // graph: num_targets × num_sources (square, or a sampled block whose first num_targets sources
  // are the targets); x: num_sources × in_channels -> num_targets × out_channels.
  // Throws InvalidArgument on a shape or device mismatch.
  Var forward(Tape& tape, const graph::Csr& graph, Var x);

  // Registered parameters: "lin_l.weight", "lin_l.bias" (when bias), "lin_r.weight" (when root_weight).

  const SAGEConvOptions& options() const { return options_; }
  Parameter& lin_l_weight() { return weight_l_; }
  Parameter& lin_r_weight() { return weight_r_; }
  Parameter& bias() { return bias_; }

 private:
  SAGEConvOptions options_;
  Parameter weight_l_;  // in × out
  Parameter weight_r_;  // in × out; empty when !root_weight
  Parameter bias_;      // 1 × out; empty when !bias
};

// y_i = x_i / max(‖x_i‖₂, eps) for every row (F.normalize(x, p=2, dim=-1)); x: m × n -> m × n.
// Throws Unsupported for CUDA tensors (no kernel yet).
Var l2_normalize_rows(Tape& tape, Var x, float eps = 1e-12f);

}  // namespace moegnn::layers
