// SPDX-License-Identifier: Apache-2.0
// GMoPE's parameter-free feature alignment (research/gmope.md §2): graphs from different domains
// have node features of different widths F; each is projected onto its own top-d0 right singular
// vectors, X̃ = X V_{d0} = U_{d0} Σ_{d0}, so every dataset enters the shared model with d0 columns
// (zero-padded when F < d0 or the rank is lower). The truncated SVD is the randomised range finder
// of Halko, Martinsson & Tropp (2011), Algorithm 4.4 (subspace iteration) followed by an exact SVD
// of the small projected matrix (§5.1), O(N·F·(d0 + oversampling)) per power iteration. Signs are
// fixed (each right singular vector's largest-magnitude entry positive) so the output is a
// deterministic function of X and the seed.
#pragma once

#include <cstdint>

#include "core/tensor.h"
#include "core/types.h"

namespace moegnn::models {

struct TruncatedSvd {
  Matrix u;           // N × k, orthonormal columns
  Eigen::VectorXf s;  // k singular values, non-increasing
  Matrix v;           // F × k, orthonormal columns
};

struct RandomizedSvdOptions {
  Index oversampling = 10;  // extra random directions beyond k (Halko et al. §4.2: 5-10)
  Index power_iterations = 4;
  std::uint64_t seed = 1;
};

// The top-k singular triplets of x (N × F), k <= min(N, F). Deterministic for a seed (a single
// thread draws the Gaussian test matrix). Throws InvalidArgument for k < 1 or k > min(N, F).
TruncatedSvd randomized_svd(const Matrix& x, Index k, const RandomizedSvdOptions& options = {});

// X̃ = U_k Σ_k with k = min(d0, N, F), zero-padded to N × d0. Throws InvalidArgument for d0 < 1,
// an empty x, or x not on the CPU.
Tensor svd_align(const Tensor& x, Index d0, const RandomizedSvdOptions& options = {});

}  // namespace moegnn::models
