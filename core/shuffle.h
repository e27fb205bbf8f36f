// SPDX-License-Identifier: Apache-2.0
// shuffle: Fisher–Yates over a span with the library's Rng, one draw per position from the last
// down (position i swaps with rng.below(i + 1)). The draw order is part of the contract: seeded
// splits, generated labels and random partitions depend on it.
#pragma once

#include <cstdint>
#include <span>
#include <utility>

#include "core/rng.h"

namespace moegnn {

template <typename T>
void shuffle(std::span<T> values, Rng& rng) {
  for (std::size_t i = values.size(); i-- > 1;) {
    const auto j = static_cast<std::size_t>(rng.below(static_cast<std::uint64_t>(i + 1)));
    std::swap(values[i], values[j]);
  }
}

}  // namespace moegnn
