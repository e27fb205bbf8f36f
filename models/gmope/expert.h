// SPDX-License-Identifier: Apache-2.0
// PromptExpert: one GMoPE expert (research/gmope.md §2.2, [PROPOSAL] backbone): an L-layer GCN,
// H^(l+1) = act(Â H^(l) W^(l) + b^(l)), whose input is the aligned features joined to the expert's
// own prompt, X̂ = [X̃ ‖ 1 pᵀ] (the paper's eq., [moonlight]). The prompt block is never
// materialised: with W^(1) = [W_x; W_p] split by rows,
//   Â X̂ W^(1) = Â X̃ W_x + (Â 1)(pᵀ W_p) = Â X̃ W_x + s (pᵀ W_p),   s = Â 1 (one value per node),
// so the prompt costs O(N·h) (an outer product) instead of an SpMM over d_p extra columns, and its
// gradient is W_p (Σ_v s_v ∂L/∂z_v). ReLU between layers (none after the last), dropout before
// each layer but the first. Weights and prompt are plain Parameters so a frozen part enters the
// tape as a constant (no weight gradients are computed for it).
#pragma once

#include <deque>

#include "core/rng.h"
#include "core/tape.h"
#include "graph/csr.h"
#include "layers/module.h"

namespace moegnn::models {

struct PromptExpertOptions {
  Index in_channels = 0;      // d0
  Index prompt_channels = 0;  // d_p (0: no prompt)
  Index hidden_channels = 0;
  Index num_layers = 2;
  float dropout = 0.0f;
};

class PromptExpert final : public layers::Module {
 public:
  // Glorot weights (W^(1) drawn whole, then split), zero biases, a Glorot-uniform prompt (as GPF
  // initialises its prompt). Throws InvalidArgument
  // for non-positive widths or layers.
  PromptExpert(const PromptExpertOptions& options, Rng& rng);

  // adj: Â (N × N, edge values); s: Â·1 (N × 1); ax: Â x̃ (N × in_channels), the propagated
  // input that every expert shares, so layer 1 is (Â X̃) W_x + s (pᵀ W_p) + b with no SpMM of its
  // own -> N × hidden_channels. weights_trainable / prompt_trainable: whether those enter the tape
  // as parameters or as constants. Throws InvalidArgument on a shape mismatch.
  // `base`, when given, is base_term(ax) computed earlier with the same (frozen) weights: the
  // layer-1 product is then not recomputed (prompt-only fine-tuning caches it) and ax is unused.
  // propagate_last = false stops before the last layer's Â and bias and returns H^(L-1) W^(L): a
  // caller mixing experts with weights constant on each block of Â propagates the mixture once
  // and adds the mixed last_bias (needs num_layers >= 2).
  Var forward(Tape& tape, const graph::Csr& adj, const Tensor& s, Var ax, Rng& rng,
              bool weights_trainable, bool prompt_trainable, const Tensor* base = nullptr,
              bool propagate_last = true);
  // The last layer's bias (1 × hidden), a parameter or a constant.
  Var last_bias(Tape& tape, bool trainable);
  // (Â x̃) W_x, the part of layer 1 that depends on neither the prompt nor the bias.
  Tensor base_term(const Tensor& ax) const;
  // The same layer-1 product computed the naive way, from the materialised [X̃ ‖ 1 pᵀ] (tests).
  Var forward_explicit(Tape& tape, const graph::Csr& adj, Var x);

  Parameter& prompt() { return prompt_; }
  const PromptExpertOptions& options() const { return options_; }
  // Parameters without the prompt (the expert's weights and biases).
  std::vector<Parameter*> weights();

  // Registered parameters: prompt (1 × d_p, when d_p > 0), w0_x (d0 × h), w0_p (d_p × h), b0, w1,
  // b1, ...

 private:
  PromptExpertOptions options_;
  Parameter prompt_;
  Parameter w0x_, w0p_;
  std::deque<Parameter> w_, b_;  // w_[0] unused (layer 1 is w0x_/w0p_); b_[l] for every layer
};

}  // namespace moegnn::models
