// SPDX-License-Identifier: Apache-2.0
// Node relabelling for locality (DGL's reorder_graph; RCM and degree sorting in the reordering
// literature). A reordering is a permutation `new_of_old` (node i becomes node new_of_old[i]);
// permute() applies it to both ends of every edge and permute_rows() to feature rows, so that
// permute(A, p) · permute_rows(X, p) = permute_rows(A · X, p). On a power-law graph with scrambled
// ids every SpMM gather misses the cache; an order that puts nodes sharing neighbours next to each
// other lets consecutive rows reuse the x rows they gather. CPU graphs only.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "core/tensor.h"
#include "graph/csr.h"

namespace moegnn::graph {

enum class Reorder {
  Degree,  // descending in-degree (row length), ties by id: hubs first and packed together
  Rcm,     // reverse Cuthill-McKee (Boost.Graph) on the symmetric structure A + Aᵀ
  Bfs,     // BFS over A + Aᵀ from the highest-degree node, components by descending start degree
};

std::string_view to_string(Reorder method);  // "degree", "rcm", "bfs"

// new_of_old for `method` (a permutation of [0, num_nodes)); deterministic, independent of the
// thread count. Throws InvalidArgument for a non-square graph or one on another device.
std::vector<NodeId> reorder_permutation(const Csr& g, Reorder method);

// old_of_new from new_of_old. Throws InvalidArgument (naming `function` and the first bad position)
// when `new_of_old` is not a permutation of [0, size).
std::vector<NodeId> inverse_permutation(std::span<const NodeId> new_of_old,
                                        const char* function = "inverse_permutation");

// The graph with node i relabelled new_of_old[i]: edge (j -> i) becomes (p[j] -> p[i]), values
// follow their edges, rows sorted by column (repeated columns keep their relative order). Throws
// InvalidArgument for a non-square graph, one on another device, or new_of_old that is not a
// permutation of [0, num_nodes).
Csr permute(const Csr& g, std::span<const NodeId> new_of_old);

// out[new_of_old[i]] = x[i]: num_nodes × cols, a copy. Throws InvalidArgument when x.rows() !=
// new_of_old.size(), x is on another device, or new_of_old is not a permutation.
Tensor permute_rows(const Tensor& x, std::span<const NodeId> new_of_old);

}  // namespace moegnn::graph
