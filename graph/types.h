// SPDX-License-Identifier: Apache-2.0
// Node and edge id types, defined once. Column indices are int32: they halve the index traffic of
// every SpMM against int64 (bench/layers/ops/spmm_bench.cpp measures both), and 2^31 - 1 nodes per
// graph (or per partition) is enough for a single machine. Row offsets are int64 so edge counts may
// exceed 2^31.
#pragma once

#include <cstdint>

#include "core/index_array.h"

namespace moegnn::graph {

using NodeId = std::int32_t;
using EdgeId = std::int64_t;
using NodeIds = IndexArray<NodeId>;
using EdgeIds = IndexArray<EdgeId>;

// How much a constructor checks: Full reads every index (use for anything built by hand or read from
// a file); Trusted skips the O(nnz) pass for the library's own builders.
enum class Validate { Trusted, Full };

}  // namespace moegnn::graph
