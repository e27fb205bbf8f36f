// SPDX-License-Identifier: Apache-2.0
// Building a Csr from an edge list (COO). Edges arrive as parallel src/dst arrays (int32 or int64 ids)
// with optional float weights; the builder validates every id, optionally adds reverse edges, sorts by
// (dst, src) with a parallel stable counting sort, merges duplicates and applies a self-loop policy.
// Row i of the result lists the sources of the edges that point at i, columns sorted. The result is
// the same bit for bit on any thread count.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/tensor.h"
#include "graph/csr.h"

namespace moegnn::graph {

// What to do with repeated (src, dst) pairs. Weights of merged edges are summed in input order
// (Sum) or the first one in input order is kept (KeepFirst); unweighted graphs keep one edge either
// way. Keep leaves multi-edges in place (sorted by source, input order among equals).
enum class Duplicates { Sum, KeepFirst, Keep };

// Self-loop policy, applied after merging. Keep: as drawn. Remove: drop every loop. Add: drop drawn
// loops, then give every node one loop with weight `self_loop_value` (PyG's remove_self_loops +
// add_self_loops). AddRemaining: keep drawn loops (merged per Duplicates) and add a loop with
// `self_loop_value` only where a node has none (PyG's add_remaining_self_loops).
enum class SelfLoops { Keep, Remove, Add, AddRemaining };

struct BuildOptions {
  Index num_nodes = -1;      // rows (destination ids); -1: largest id + 1 (of src and dst when
                             // square, of dst alone when num_src_nodes is given)
  Index num_src_nodes = -1;  // columns (source ids); -1: square, equal to num_nodes
  Duplicates duplicates = Duplicates::Sum;
  bool symmetric = false;    // add (dst, src) for every (src, dst), then merge (PyG's to_undirected)
  SelfLoops self_loops = SelfLoops::Keep;
  float self_loop_value = 1.0f;  // weight of added loops (weighted graphs only)
};

// src, dst: E ids each; edge_weight: empty or E values. Returns a num_nodes × num_src_nodes Csr with
// values when edge_weight is given. Throws InvalidArgument when sizes differ, an id is negative or out
// of range (naming the array, the position and the value), a count exceeds the int32 id range, or
// symmetric / self-loop options are asked of a non-square graph.
Csr from_coo(std::span<const std::int32_t> src, std::span<const std::int32_t> dst,
             std::span<const float> edge_weight = {}, const BuildOptions& options = {});
Csr from_coo(std::span<const std::int64_t> src, std::span<const std::int64_t> dst,
             std::span<const float> edge_weight = {}, const BuildOptions& options = {});

// std::vector spellings of the span forms (a vector would otherwise match both those and the
// IndexArray forms below).
Csr from_coo(const std::vector<std::int32_t>& src, const std::vector<std::int32_t>& dst,
             const std::vector<float>& edge_weight = {}, const BuildOptions& options = {});
Csr from_coo(const std::vector<std::int64_t>& src, const std::vector<std::int64_t>& dst,
             const std::vector<float>& edge_weight = {}, const BuildOptions& options = {});

// The same for CPU arrays; edge_weight is empty or E × 1. Throws InvalidArgument as above and for
// arrays on another device.
Csr from_coo(const NodeIds& src, const NodeIds& dst, const Tensor& edge_weight = {},
             const BuildOptions& options = {});
Csr from_coo(const EdgeIds& src, const EdgeIds& dst, const Tensor& edge_weight = {},
             const BuildOptions& options = {});

}  // namespace moegnn::graph
