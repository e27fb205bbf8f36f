// SPDX-License-Identifier: Apache-2.0
// Seeded random train/validation/test splits of node ids, for generated graphs and for datasets
// that ship without an official split.
#pragma once

#include <cstdint>

#include "core/index_array.h"
#include "graph/node_split.h"

namespace moegnn::datasets {

using graph::NodeSplit;

// Shuffles [0, num_nodes) with `seed` (Fisher–Yates) and cuts it: the first
// round(train_fraction · n) ids train (each set sorted ascending; together all of [0, num_nodes)), the next round(val_fraction · n) validate, the rest test.
// Throws InvalidArgument unless num_nodes >= 0, both fractions are in [0, 1] and their sum <= 1.
NodeSplit random_split(Index num_nodes, double train_fraction, double val_fraction,
                   std::uint64_t seed);

}  // namespace moegnn::datasets
