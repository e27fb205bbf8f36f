// SPDX-License-Identifier: Apache-2.0
// GMoPE's auxiliary losses and pretext losses (research/gmope.md §2.2, all [PROPOSAL] forms; the
// paper's formulas could not be read):
// - soft orthogonality across the prompts, L_orth = ‖P̂ P̂ᵀ − I_M‖_F², P̂ stacking p_m / ‖p_m‖
//   (or the raw p_m when `normalize` is off); a penalty, not a constraint, attainable for d_p >= M;
// - Switch-style load balancing, L_bal = M · Σ_m f_m · P̄_m (f_m: fraction of rows whose largest
//   gate is m, a constant; P̄_m: mean gate of m), 1 when usage is uniform;
// - the normalised entropy of mean expert usage, H(ū) / log M in [0, 1] (a metric, no tape);
// - InfoNCE between two views' rows (GraphCL / GRACE: row i of each view is the positive pair,
//   the other rows of the second view the negatives), cosine similarity over a temperature;
// - link BCE: dot-product scores of positive and negative pairs, binary cross-entropy.
#pragma once

#include <vector>

#include "core/tape.h"
#include "graph/edge_list.h"

namespace moegnn::models {

// prompts: M vars of 1 × d_p. Returns a 1 × 1 var. Throws InvalidArgument for no prompts or
// prompts of different widths.
Var orthogonality_loss(Tape& tape, const std::vector<Var>& prompts, bool normalize = true);

// gates: rows × M, rows summing to 1. Returns a 1 × 1 var. Throws InvalidArgument when empty.
Var load_balance_loss(Tape& tape, Var gates);

// gates: rows × M. Normalised entropy of the mean gate per expert; 1 for M = 1. Throws
// InvalidArgument when empty.
double usage_entropy(const Tensor& gates);

// z1, z2: n × h (the same rows in two views), n >= 2. Throws InvalidArgument on a shape mismatch.
Var info_nce(Tape& tape, Var z1, Var z2, float temperature);

// Scores ⟨h_src, h_dst⟩ of pos and neg pairs, mean BCE with targets 1 and 0: one SDDMM over the
// pairs as a Csr (no |pairs| × width gathers). Throws InvalidArgument for empty sets or ids out of
// range, naming the set and the pair.
Var link_bce(Tape& tape, Var h, const graph::EdgeList& pos, const graph::EdgeList& neg);

// Dot-product scores of pairs (no tape), pairs.size() values.
std::vector<float> link_scores(const Tensor& h, const graph::EdgeList& pairs);

}  // namespace moegnn::models
