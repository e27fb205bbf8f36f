// SPDX-License-Identifier: Apache-2.0
// The normalised sheaf Laplacians of Neural Sheaf Diffusion (Bodnar et al., 2022, eq. 2 and §4),
// as block values on a SheafPattern's block-CSR pattern, ready for ops::block_spmm. For an edge
// e = {u, v} with maps F_{u◁e}, F_{v◁e} (d × d):
//   L_uv = −F_{u◁e}ᵀ F_{v◁e},  L_vu = L_uvᵀ,  L_uu = Σ_{e∋u} F_{u◁e}ᵀ F_{u◁e},
// and the augmented normalisation Δ = D̂^-1/2 L D̂^-1/2 with D̂ = diag-blocks(L) + I, whose spectrum
// lies in [0, 2]. One off-diagonal block is computed per undirected edge and mirrored. Optional
// fixed coordinates (the reference's add_lp / add_hp) append non-learned stalk coordinates after the
// d learned ones: a signless (D + A) and an ordinary (D − A) graph-Laplacian channel, both
// normalised by (deg + 1)^-1/2.
#pragma once

#include "core/tape.h"
#include "layers/sheaf/sheaf_pattern.h"

namespace moegnn::layers::sheaf {

struct FixedCoordinates {
  bool low_pass = false;   // coordinate d: off-diagonal +1 (the reference's add_lp)
  bool high_pass = false;  // next coordinate: off-diagonal −1 (add_hp)
  Index count() const { return (low_pass ? 1 : 0) + (high_pass ? 1 : 0); }
};

// Diagonal maps (Diag-NSD): maps 2E × d (the diagonals f_{u◁e}) -> nnz(blocks) × (d + fixed)
// diagonal blocks: Δ_uv = −D̂_u^-1/2 (f_{u◁e} ⊙ f_{v◁e}) D̂_v^-1/2, Δ_uu = L_uu / (L_uu + 1).
// Throws InvalidArgument on a shape mismatch.
Var diag_sheaf_laplacian(Tape& tape, const SheafPattern& pattern, Var maps, Index d,
                         FixedCoordinates fixed = {});

// Orthogonal maps with edge weights (O(d)-NSD): maps 2E × d² (Q_{u◁e} ∈ O(d)), edge_weights
// 2E × 1 symmetric w_e (or an invalid Var: all 1) -> nnz(blocks) × (d + fixed)² dense blocks:
// Δ_uv = −w_e² Q_{u◁e}ᵀ Q_{v◁e} / √((s_u + 1)(s_v + 1)), Δ_uu = s_u / (s_u + 1) · I with
// s_u = Σ_{e∋u} w_e². Throws InvalidArgument on a shape mismatch.
Var connection_sheaf_laplacian(Tape& tape, const SheafPattern& pattern, Var maps,
                               Var edge_weights, Index d, FixedCoordinates fixed = {});

// General maps (Gen-NSD): maps 2E × d² -> nnz(blocks) × (d + fixed)² dense blocks with
// D̂_u^-1/2 the symmetric inverse square root (block_sym_pow). Throws InvalidArgument on a shape
// mismatch.
Var general_sheaf_laplacian(Tape& tape, const SheafPattern& pattern, Var maps, Index d,
                            FixedCoordinates fixed = {});

// The dense (N·f) × (N·f) matrix of block values (tests and small examples).
Tensor dense_laplacian(const SheafPattern& pattern, const Tensor& values, Index block);

}  // namespace moegnn::layers::sheaf
