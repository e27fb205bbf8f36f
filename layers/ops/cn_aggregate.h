// SPDX-License-Identifier: Apache-2.0
// cn_aggregate: the neighbour pooling of NCN / NCNC (Wang et al., ICLR 2024), out[b] = Σ_k w_k ·
// x[col_k] over the entries k of row b of a pair × node matrix C (one row per target pair, its
// common neighbours as columns: graph/common_neighbors.h PairNeighbors::to_csr; NCNC's completion
// adds the one-sided neighbours with their predicted probabilities as values). w_k = C's value,
// or 1 when C has none; the weights are constants (NCNC computes them without gradient).
// The backward dx[u] += Σ_{b,k: col_k = u} w_k · dout[b] reads C's cached transpose, so it uses no
// atomics and is bit-identical on any thread count.
#pragma once

#include "core/tape.h"
#include "graph/csr.h"

namespace moegnn::ops {

// c: B × N (rows may be empty), x: N × F -> B × F. Throws InvalidArgument when x has other than
// c.num_cols() rows or lives on another device than c, Unsupported on CUDA (no kernel yet).
Tensor cn_aggregate(const graph::Csr& c, const Tensor& x);
Var cn_aggregate(Tape& tape, const graph::Csr& c, Var x);

}  // namespace moegnn::ops
