// SPDX-License-Identifier: Apache-2.0
// GCNConv: the graph convolution of Kipf & Welling (2017), eq. (2): H' = Â · H · W + b, where Â is
// the normalised adjacency D^-1/2 (A + I) D^-1/2 held as the edge values of `adj` (graph/normalize.h
// builds it once per graph; PyG's cached=True). The two products commute, so the layer multiplies
// by W first when that shrinks the width the sparse product has to move (out < in) and aggregates
// first otherwise; the bias is added after aggregation, as PyG does.
#pragma once

#include <vector>

#include "core/rng.h"
#include "graph/csr.h"
#include "layers/module.h"

namespace moegnn::layers {

struct GCNConvOptions {
  enum class Order { Auto, TransformFirst, AggregateFirst };
  Index in_channels = 0;
  Index out_channels = 0;
  bool bias = true;
  Order order = Order::Auto;  // Auto: transform first iff out_channels < in_channels
};

class GCNConv final : public Module {
 public:
  // Glorot-uniform weight (in × out), zero bias (1 × out). Throws InvalidArgument unless both
  // channel counts are positive.
  GCNConv(const GCNConvOptions& options, Rng& rng);

  // adj: num_nodes × num_nodes with Â as edge values (no values = plain sum of neighbours);
  // x: num_nodes × in_channels -> num_nodes × out_channels.
  // Throws InvalidArgument on a shape mismatch or a non-square adjacency.
  Var forward(Tape& tape, const graph::Csr& adj, Var x);

  // The same on a message-flow block (graph/block.h): block: num_dst × num_src with the whole
  // graph's Â rows as edge values (a full-neighbour block sampled from Â keeps them, so its rows
  // equal the full graph's), x: num_src × in_channels -> num_dst × out_channels.
  // Throws InvalidArgument on a shape mismatch.
  Var forward_block(Tape& tape, const graph::Csr& block, Var x);

  // Registered parameters: "weight", then "bias" when options.bias.

  const GCNConvOptions& options() const { return options_; }
  Parameter& weight() { return weight_; }
  Parameter& bias() { return bias_; }

 private:
  GCNConvOptions options_;
  Parameter weight_;
  Parameter bias_;  // empty when !options_.bias
};

}  // namespace moegnn::layers
