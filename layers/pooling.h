// SPDX-License-Identifier: Apache-2.0
// Global pooling: one row per graph of a batch (graph/graph_batch.h) from its nodes' rows, the
// readout of graph-level models (PyG's global_add_pool / global_mean_pool / global_max_pool).
// Graphs are contiguous node ranges, so pooling is a segment reduction over the batch's `ptr`
// (layers/ops/segment.h), with its backward rule.
#pragma once

#include <string_view>

#include "core/tape.h"
#include "graph/types.h"

namespace moegnn::layers {

enum class Pool { Sum, Mean, Max };

// x: num_nodes × C, ptr: num_graphs + 1 node offsets -> num_graphs × C. An empty graph pools to
// zeros. Throws InvalidArgument when ptr does not run from 0 to x.rows() non-decreasingly;
// Unsupported for Max on CUDA tensors.
Var global_pool(Tape& tape, Pool pool, const graph::EdgeIds& ptr, Var x);
Var global_add_pool(Tape& tape, const graph::EdgeIds& ptr, Var x);
Var global_mean_pool(Tape& tape, const graph::EdgeIds& ptr, Var x);
Var global_max_pool(Tape& tape, const graph::EdgeIds& ptr, Var x);

// "sum" (or "add"), "mean", "max" -> Pool; throws InvalidArgument for another name.
Pool parse_pool(std::string_view name);
const char* to_string(Pool pool);

}  // namespace moegnn::layers
