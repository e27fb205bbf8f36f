// SPDX-License-Identifier: Apache-2.0
// The restriction-map families of Neural Sheaf Diffusion (Bodnar et al., 2022, §4 / Table 1): the
// learner (sheaf_learner.h) emits p numbers per directed edge and these turn them into maps
// F_{u◁e}. Diagonal maps keep their d numbers (the diagonal); general maps reshape d² numbers to
// d × d; orthogonal maps build an element of O(d) from the numbers by Householder reflections,
// the matrix exponential or the Cayley transform of a skew-symmetric matrix.
#pragma once

#include <string_view>

#include "core/tape.h"

namespace moegnn::layers::sheaf {

enum class MapFamily { Diagonal, General, Householder, MatrixExp, Cayley };

// "diagonal", "general", "householder", "matrix-exp", "cayley".
std::string_view map_family_name(MapFamily family);
bool is_orthogonal(MapFamily family);

// Numbers the learner emits per edge: d, d², d(d−1)/2 (Householder), d(d+1)/2 (matrix exp and
// Cayley: a lower triangle with its diagonal, which cancels in T − Tᵀ, as the reference).
// Throws InvalidArgument for d < 1 or an orthogonal family with d < 2 (O(1) = {±1} has no
// parameters).
Index map_parameters(MapFamily family, Index d);

// params: m × map_parameters(family, d) -> m × d (Diagonal) or m × d² (row-major d × d maps).
// Householder: v_j = e_j + Σ_{i>j} θ_ij e_i, u_j = v_j / ‖v_j‖, Q = H_1 ⋯ H_d with
// H_j = I − 2 u_j u_jᵀ (so det Q = (−1)^d, as the reference). MatrixExp: Q = exp(T − Tᵀ).
// Cayley: Q = (I − A/2)⁻¹ (I + A/2), A = T − Tᵀ. Throws InvalidArgument on a width mismatch.
Var restriction_maps(Tape& tape, Var params, MapFamily family, Index d);

}  // namespace moegnn::layers::sheaf
