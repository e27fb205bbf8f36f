// SPDX-License-Identifier: Apache-2.0
// Per-class splits: one Fisher-Yates shuffle per class from one seeded stream.
#include "datasets/class_split.h"

#include <algorithm>
#include <vector>

#include "core/error.h"
#include "core/rng.h"

namespace moegnn::datasets {

NodeSplit per_class_split(std::span<const std::int32_t> labels, Index num_classes,
                          Index train_per_class, Index val_per_class, std::uint64_t seed) {
  MOEGNN_CHECK(train_per_class >= 0 && val_per_class >= 0, "per-class counts ", train_per_class,
               ", ", val_per_class, " vs >= 0");
  MOEGNN_CHECK(num_classes >= 0, "num_classes ", num_classes, " vs >= 0");
  std::vector<std::vector<std::int32_t>> members(static_cast<std::size_t>(num_classes));
  for (std::size_t i = 0; i < labels.size(); ++i) {
    MOEGNN_CHECK(labels[i] >= 0 && labels[i] < num_classes, "label of node ", i, " is ", labels[i],
                 " vs [0, ", num_classes, ")");
    members[static_cast<std::size_t>(labels[i])].push_back(static_cast<std::int32_t>(i));
  }
  Rng rng(seed);
  std::vector<std::int32_t> train, val, test;
  for (std::vector<std::int32_t>& ids : members) {
    for (std::size_t i = ids.size(); i > 1; --i)
      std::swap(ids[i - 1], ids[static_cast<std::size_t>(rng.below(i))]);
    const std::size_t t = std::min(ids.size(), static_cast<std::size_t>(train_per_class));
    const std::size_t v = std::min(ids.size() - t, static_cast<std::size_t>(val_per_class));
    train.insert(train.end(), ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(t));
    val.insert(val.end(), ids.begin() + static_cast<std::ptrdiff_t>(t),
               ids.begin() + static_cast<std::ptrdiff_t>(t + v));
    test.insert(test.end(), ids.begin() + static_cast<std::ptrdiff_t>(t + v), ids.end());
  }
  for (auto* part : {&train, &val, &test}) std::sort(part->begin(), part->end());
  return {IndexArray32(train), IndexArray32(val), IndexArray32(test)};
}

}  // namespace moegnn::datasets
