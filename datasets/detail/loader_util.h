// SPDX-License-Identifier: Apache-2.0
// Small pieces shared by the dataset loaders (private to the module): building the graph from an
// edge list under one of the two edge conventions, masks to sorted id lists, per-row argmax of
// one-hot label matrices, and the IoError wrapper that prefixes a file name to a library error.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/index_array.h"
#include "core/tensor.h"
#include "graph/csr.h"

namespace moegnn::datasets::detail {

// Undirected: reverse edges added, duplicates merged, self-loops removed (the library's
// convention for node datasets). AsStored: duplicates merged, direction and self-loops kept
// (PyG's coalesce only).
enum class EdgeConvention { Undirected, AsStored };

// Csr of num_nodes nodes from (src[k] -> dst[k]). Throws IoError naming `source` (with the
// builder's message: which array, position and id) for an id outside [0, num_nodes), and for an
// empty edge list when num_nodes > 0 (an empty or header-only edge file).
graph::Csr build_graph(std::span<const std::int64_t> src, std::span<const std::int64_t> dst,
                       Index num_nodes, EdgeConvention convention, const std::string& source);

// Every column pair (src, dst) of an rows × 2 row-major int64 table.
void split_pairs(std::span<const std::int64_t> pairs, std::vector<std::int64_t>& src,
                 std::vector<std::int64_t>& dst);

// Ids i with mask[i] set, ascending.
IndexArray32 mask_to_ids(const std::vector<bool>& mask);

// Index of the first largest entry of each row of a rows × cols matrix (0 for an all-zero row,
// as PyG's max(dim=1)[1] gives).
std::vector<std::int32_t> argmax_rows(const Tensor& one_hot);

// Largest label + 1 (0 for no labels). Throws IoError naming `source` and the node for a label
// outside [0, labels.size()): negative, or more classes than nodes (a corrupt label).
Index count_classes(std::span<const std::int32_t> labels, const std::string& source);

// Checked narrowing of an int64 id or count read from `source`.
std::int32_t to_int32(std::int64_t value, const std::string& source, const char* what);

}  // namespace moegnn::datasets::detail
