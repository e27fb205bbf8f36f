// SPDX-License-Identifier: Apache-2.0
// LinkEncoder: the message-passing half of NCN / NCNC and GAE (Wang et al., ICLR 2024, "MPNN-then-
// SF"), run over the whole (training) graph at every step. Following the reference's options
// (docs/research ncnc.md §3): an input map (Dropout(xdp) → Linear(F, H) → Dropout(gnndp) for the
// parameter-free convolutions; a learnable per-node embedding when the dataset has no features,
// ogbl-ddi), then L convolutions, either parameter-free ("puregcn": D^-1/2 (A + I) D^-1/2 x;
// "puresum": A x) with Dropout(tdp) after the last, or learned (GCNConv, SAGEConv mean) with
// LayerNorm (ln) → Dropout(gnndp) → ReLU after every layer but the last; optional residual (res)
// and jumping knowledge (jk: Σ_l w_l x^(l) with raw, not softmaxed, weights w ~ N(0, 1)).
#pragma once

#include <deque>
#include <memory>

#include "core/rng.h"
#include "graph/csr.h"
#include "layers/gcn_conv.h"
#include "layers/layer_norm.h"
#include "layers/linear.h"
#include "layers/sage_conv.h"

namespace moegnn::models {

enum class LinkConv { PureGcn, PureSum, Gcn, Sage };

struct LinkEncoderOptions {
  LinkConv conv = LinkConv::PureGcn;
  Index in_channels = 0;  // feature width; 0: no features, a learnable num_nodes × hidden table
  Index num_nodes = 0;    // rows of that table (in_channels == 0 only)
  Index hidden = 256;
  Index layers = 1;
  float xdp = 0.0f;    // dropout on the input features
  float gnndp = 0.0f;  // dropout after the input map / between learned layers
  float tdp = 0.0f;    // dropout after the last parameter-free convolution
  bool ln = false;     // LayerNorm between learned layers
  bool res = false;    // x <- conv(x) + x where widths agree
  bool jk = false;     // jumping knowledge over the layers' outputs
};

class LinkEncoder final : public layers::Module {
 public:
  // Throws InvalidArgument for hidden < 1, layers < 0, a dropout outside [0, 1), or in_channels ==
  // 0 with num_nodes < 1.
  LinkEncoder(const LinkEncoderOptions& options, Rng& rng);
  // adj: the symmetric graph messages run on (no self-loops, no values; the training graph with
  // the step's target links removed during training); x: num_nodes × in_channels (ignored, may be
  // empty, when in_channels == 0). Returns num_nodes × hidden. Throws InvalidArgument on a shape
  // mismatch.
  Var forward(Tape& tape, const graph::Csr& adj, const Tensor& x, Rng& rng);
  const LinkEncoderOptions& options() const { return options_; }

 private:
  LinkEncoderOptions options_;
  std::unique_ptr<layers::Linear> input_;  // pure convolutions with features
  Parameter embedding_;                    // no features
  std::deque<layers::GCNConv> gcn_;
  std::deque<layers::SAGEConv> sage_;
  std::deque<layers::LayerNorm> norms_;
  Parameter jk_weights_;  // 1 × layers
};

}  // namespace moegnn::models
