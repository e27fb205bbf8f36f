// SPDX-License-Identifier: Apache-2.0
// Seeded random train/validation/test splits of node ids, for generated graphs and for datasets
// that ship without an official split.
#pragma once

#include <cstdint>

#include "core/index_array.h"

namespace moegnn::datasets {

struct Split {
  IndexArray32 train;  // each sorted ascending; disjoint; together all of [0, num_nodes)
  IndexArray32 val;
  IndexArray32 test;
};

// Shuffles [0, num_nodes) with `seed` (Fisher–Yates) and cuts it: the first
// round(train_fraction · n) ids train, the next round(val_fraction · n) validate, the rest test.
// Throws InvalidArgument unless num_nodes >= 0, both fractions are in [0, 1] and their sum <= 1.
Split random_split(Index num_nodes, double train_fraction, double val_fraction,
                   std::uint64_t seed);

}  // namespace moegnn::datasets
