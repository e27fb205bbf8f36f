// SPDX-License-Identifier: Apache-2.0
// SheafLearner: the local concat learner of Neural Sheaf Diffusion (Bodnar et al., 2022, eq. 8):
// per directed edge k = (u, v), params_k = σ(A · [x_u ‖ x_v]) with A: p × 2·in_channels, no bias,
// σ = tanh (or identity / ELU). Computed as σ(P_src[u] + P_dst[v]) with P = x · [A_srcᵀ | A_dstᵀ]
// (N × 2p), so the 2E × 2·in concatenation is never materialised. restriction_maps() turns the
// numbers into maps.
#pragma once

#include "core/rng.h"
#include "layers/module.h"
#include "layers/sheaf/sheaf_pattern.h"

namespace moegnn::layers::sheaf {

enum class LearnerActivation { Tanh, Identity, Elu };

struct SheafLearnerOptions {
  Index in_channels = 0;   // width of a node's flattened state (final_d · hidden)
  Index out_channels = 0;  // p numbers per edge (restriction_maps.h: map_parameters)
  LearnerActivation activation = LearnerActivation::Tanh;
};

class SheafLearner final : public Module {
 public:
  // Weight U(±1/√(2·in)) as PyTorch's default Linear init. Throws InvalidArgument unless both
  // channel counts are positive.
  SheafLearner(const SheafLearnerOptions& options, Rng& rng);
  // x: N × in_channels -> 2E × out_channels (edge order of pattern.graph). Throws
  // InvalidArgument on a shape mismatch.
  Var forward(Tape& tape, const SheafPattern& pattern, Var x);
  const SheafLearnerOptions& options() const { return options_; }

 private:
  SheafLearnerOptions options_;
  Parameter weight_;  // in_channels × 2·out_channels: [A_srcᵀ | A_dstᵀ]
};

}  // namespace moegnn::layers::sheaf
