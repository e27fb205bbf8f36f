// SPDX-License-Identifier: Apache-2.0
// APPNP: the personalized-PageRank propagation of Klicpera, Bojchevski & Günnemann (2019),
// eq. (4): H⁰ = Z, H^{k+1} = (1 − α) Â H^k + α Z, K times, over the normalised adjacency
// Â = D^-1/2 (A + I) D^-1/2 held as the edge values of `adj` (graph::gcn_norm, once per graph, like
// GCNConv). No parameters. Each step is one tape node (a fused sparse product and teleport), so K
// steps keep K activations rather than 3K. PyG's edge dropout on Â is not provided.
#pragma once

#include <vector>

#include "graph/csr.h"
#include "layers/module.h"

namespace moegnn::layers {

struct APPNPOptions {
  Index K = 10;        // propagation steps, >= 0 (0 returns x)
  float alpha = 0.1f;  // teleport probability, in [0, 1]
};

class APPNP final : public Module {
 public:
  // Throws InvalidArgument for K < 0 or alpha outside [0, 1].
  explicit APPNP(const APPNPOptions& options);

  // adj: square num_nodes × num_nodes with Â as edge values (none: plain sum of neighbours);
  // x: num_nodes × F -> num_nodes × F. Throws InvalidArgument on a shape or device mismatch,
  // Unsupported for CUDA inputs.
  Var forward(Tape& tape, const graph::Csr& adj, Var x);


  const APPNPOptions& options() const { return options_; }

 private:
  APPNPOptions options_;
};

}  // namespace moegnn::layers
