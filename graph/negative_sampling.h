// SPDX-License-Identifier: Apache-2.0
// Negative edges for link prediction: uniform (src, dst) pairs that are not edges of the graph, and
// per-positive "corrupted" destinations. Rejection sampling with a binary search in the sorted row;
// a draw that keeps hitting edges (dense graphs) falls back to picking the r-th non-edge exactly, so
// the result stays uniform over non-edges and sampling never hangs. Sample i draws from
// Rng::bits(key, i) alone: the same seed gives the same negatives on any thread count. Samples are
// independent, so one non-edge may appear twice. CPU graphs with sorted rows only.
#pragma once

#include "core/rng.h"
#include "graph/csr.h"
#include "graph/edge_list.h"

namespace moegnn::graph {

// num_samples pairs (src -> dst), src in [0, num_cols), dst in [0, num_rows), none an edge of g; with
// exclude_self_loops (square graphs) also src != dst. Draws one key from rng. Throws InvalidArgument
// for num_samples < 0, a graph with no admissible pair (when num_samples > 0), unsorted rows or a
// graph on another device.
EdgeList negative_sampling(const Csr& g, Index num_samples, Rng& rng, bool exclude_self_loops = true);

// For each positive edge i, num_negatives destinations d with (positives.src[i] -> d) not an edge
// (and d != src with exclude_self_loops on square graphs). Edge-major output: entries
// [i · num_negatives, (i + 1) · num_negatives) belong to positive i and repeat its src. Draws one key
// from rng. Throws InvalidArgument for mismatched or out-of-range positives (naming the position),
// num_negatives < 0, a source that links to every admissible destination, unsorted rows or a graph
// on another device.
EdgeList structured_negative_sampling(const Csr& g, const EdgeList& positives, Index num_negatives,
                                      Rng& rng, bool exclude_self_loops = true);

}  // namespace moegnn::graph
