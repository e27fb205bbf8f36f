// SPDX-License-Identifier: Apache-2.0
// GATConv: graph attention (Veličković et al., 2018), eqs. (1)-(6) in PyG's form. Per head h,
// e_ij = LeakyReLU(a_dstᵀ W x_i + a_srcᵀ W x_j) (slope 0.2), α_ij = softmax_j(e_ij) over the
// in-neighbours of i, dropout on α (training only), x_i' = Σ_j α_ij W x_j; the heads are
// concatenated (eq. 5) or averaged (eq. 6), then the bias is added. W (lin.weight), att_src and
// att_dst are Glorot-uniform, the bias zero, as PyG. Self-loops: PyG adds them inside the layer on
// every call. Here the graph is used as given; call prepare() once per graph (it adds one loop per
// node when options.add_self_loops) and pass its result to forward. Edge values are ignored:
// attention supplies the weights.
#pragma once

#include <vector>

#include "core/rng.h"
#include "graph/csr.h"
#include "layers/module.h"

namespace moegnn::layers {

struct GATConvOptions {
  Index in_channels = 0;
  Index out_channels = 0;  // per head
  Index heads = 1;
  bool concat = true;           // true: heads · out_channels outputs; false: the mean over heads
  float negative_slope = 0.2f;  // LeakyReLU of the attention logits
  float dropout = 0.0f;         // on the attention coefficients α, training mode only
  bool add_self_loops = true;   // read by prepare()
  bool bias = true;
};

class GATConv final : public Module {
 public:
  // Throws InvalidArgument on non-positive channels or heads, dropout outside [0, 1) or a negative
  // negative_slope.
  GATConv(const GATConvOptions& options, Rng& rng);

  // The graph forward expects: `raw` with every self-loop replaced by one loop per node when
  // options.add_self_loops (PyG's remove_self_loops + add_self_loops), else `raw` itself.
  // Throws InvalidArgument for a non-square graph when loops are to be added.
  graph::Csr prepare(const graph::Csr& raw) const;

  // graph: num_targets × num_sources (square, or a block whose first num_targets sources are the
  // targets); x: num_sources × in_channels -> num_targets × out_width(). `rng` draws the attention
  // dropout mask. Throws InvalidArgument on a shape or device mismatch.
  Var forward(Tape& tape, const graph::Csr& graph, Var x, Rng& rng);
  // The same without an Rng: allowed when dropout == 0 or in evaluation mode; throws otherwise.
  Var forward(Tape& tape, const graph::Csr& graph, Var x);

  // Registered parameters: "lin.weight" (in × heads·out), "att_src", "att_dst" (1 × heads·out), "bias" (1 × out_width()).

  Index out_width() const;  // heads · out_channels when concat, else out_channels
  const GATConvOptions& options() const { return options_; }
  Parameter& weight() { return weight_; }
  Parameter& att_src() { return att_src_; }
  Parameter& att_dst() { return att_dst_; }
  Parameter& bias() { return bias_; }

 private:
  Var run(Tape& tape, const graph::Csr& graph, Var x, Rng* rng);
  GATConvOptions options_;
  Parameter weight_;
  Parameter att_src_;  // head h's vector at columns [h·C, (h+1)·C)
  Parameter att_dst_;
  Parameter bias_;  // empty when !options_.bias
};

}  // namespace moegnn::layers
