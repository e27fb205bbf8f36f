// SPDX-License-Identifier: Apache-2.0
// Seeded random splits.
#include "datasets/split.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "core/error.h"
#include "core/rng.h"
#include "core/shuffle.h"

namespace moegnn::datasets {
namespace {
IndexArray32 sorted_ids(std::vector<std::int32_t>::const_iterator first,
                        std::vector<std::int32_t>::const_iterator last) {
  std::vector<std::int32_t> ids(first, last);
  std::sort(ids.begin(), ids.end());
  return IndexArray32(ids);
}
}  // namespace

NodeSplit random_split(Index num_nodes, double train_fraction, double val_fraction,
                   std::uint64_t seed) {
  MOEGNN_CHECK(num_nodes >= 0 && num_nodes <= std::numeric_limits<std::int32_t>::max(),
               "num_nodes is ", num_nodes, " vs [0, 2^31)");
  MOEGNN_CHECK(train_fraction >= 0.0 && val_fraction >= 0.0 &&
                   train_fraction + val_fraction <= 1.0 + 1e-12,
               "fractions train ", train_fraction, ", val ", val_fraction,
               " vs each >= 0 with a sum <= 1");
  std::vector<std::int32_t> order(static_cast<std::size_t>(num_nodes));
  std::iota(order.begin(), order.end(), 0);
  Rng rng(seed);
  shuffle(std::span<std::int32_t>(order), rng);
  const auto n = static_cast<double>(num_nodes);
  const auto num_train = static_cast<Index>(std::llround(train_fraction * n));
  const Index num_val = std::min(static_cast<Index>(std::llround(val_fraction * n)),
                                 num_nodes - num_train);
  const auto train_end = order.cbegin() + num_train;
  const auto val_end = train_end + num_val;
  return NodeSplit{sorted_ids(order.cbegin(), train_end), sorted_ids(train_end, val_end),
               sorted_ids(val_end, order.cend())};
}

}  // namespace moegnn::datasets
