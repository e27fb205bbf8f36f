// SPDX-License-Identifier: Apache-2.0
// Private helpers shared by the graph builders: a parallel prefix sum over per-row counts and the
// "first offending position" search used by id validation. Integer-only, so results do not depend on
// the thread count.
#pragma once

#include <algorithm>
#include <vector>

#include "core/parallel.h"
#include "graph/types.h"

namespace moegnn::graph::detail {

// offsets[0] = 0, offsets[i + 1] = offsets[i] + counts[i] for i < n: an in-place exclusive scan of
// `offsets`, where offsets[i + 1] holds count i on entry and offsets[0] is ignored. Two parallel
// passes over fixed blocks with a serial scan of the block sums in between.
inline void counts_to_offsets(EdgeId* offsets, Index n) {
  offsets[0] = 0;
  constexpr Index kBlock = 1 << 14;
  if (n <= 4 * kBlock) {
    for (Index i = 0; i < n; ++i) offsets[i + 1] += offsets[i];
    return;
  }
  const Index blocks = (n + kBlock - 1) / kBlock;
  std::vector<EdgeId> sums(static_cast<std::size_t>(blocks) + 1, 0);
  parallel_for(0, blocks, [&](Index b) {
    const Index lo = b * kBlock;
    const Index hi = std::min(n, lo + kBlock);
    EdgeId s = 0;
    for (Index i = lo; i < hi; ++i) s += offsets[i + 1];
    sums[static_cast<std::size_t>(b) + 1] = s;
  }, 1);
  for (Index b = 0; b < blocks; ++b) sums[b + 1] += sums[b];
  parallel_for(0, blocks, [&](Index b) {
    const Index lo = b * kBlock;
    const Index hi = std::min(n, lo + kBlock);
    EdgeId run = sums[static_cast<std::size_t>(b)];
    for (Index i = lo; i < hi; ++i) {
      run += offsets[i + 1];
      offsets[i + 1] = run;
    }
  }, 1);
}

// The smallest i in [0, n) with bad(i), or n when there is none. Deterministic: fixed chunks, the
// first chunk with an offender wins.
template <typename Bad>
Index first_position(Index n, const Bad& bad) {
  return deterministic_reduce<Index>(
      0, n, n,
      [&](Index lo, Index hi) {
        for (Index i = lo; i < hi; ++i)
          if (bad(i)) return i;
        return n;
      },
      [](Index a, Index b) { return std::min(a, b); }, Index{1} << 16);
}

}  // namespace moegnn::graph::detail
