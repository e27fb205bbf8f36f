// SPDX-License-Identifier: Apache-2.0
// Per-class splits (Shchur et al., 2018, "Pitfalls of GNN evaluation"): a fixed number of
// training and validation nodes drawn from every class, the rest for testing. Used for datasets
// that ship no split (the gnn-benchmark .npz sets).
#pragma once

#include <cstdint>
#include <span>

#include "datasets/node_dataset.h"

namespace moegnn::datasets {

// For each class c (nodes in id order, shuffled with `seed`): the first min(train_per_class,
// count_c) ids train, the next min(val_per_class, rest) validate, the remaining ids test. Each
// part is sorted. Throws InvalidArgument for negative counts or labels outside
// [0, num_classes).
NodeSplit per_class_split(std::span<const std::int32_t> labels, Index num_classes,
                          Index train_per_class, Index val_per_class, std::uint64_t seed);

}  // namespace moegnn::datasets
