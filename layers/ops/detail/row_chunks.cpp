// SPDX-License-Identifier: Apache-2.0
// Chunk boundaries for edge-balanced row loops (see row_chunks.h).
#include "layers/ops/detail/row_chunks.h"

#include <algorithm>

namespace moegnn::ops::detail {
namespace {
// About 64 Ki multiply-adds per chunk keeps the scheduling overhead (a std::function call and a
// task) below 1 % while leaving enough chunks to balance; 16 chunks per thread absorb the skew that
// remains when single rows are long.
constexpr Index kWorkPerChunk = Index{1} << 16;
constexpr Index kChunksPerThread = 16;
}  // namespace

std::vector<Index> balanced_row_chunks(const graph::EdgeId* row_ptr, Index num_rows, Index width) {
  std::vector<Index> bounds{0};
  if (num_rows <= 0) return bounds;
  // cost(r) = row_ptr[r] + r is strictly increasing, so a binary search finds each boundary.
  const Index total = row_ptr[num_rows] + num_rows;
  const Index work = total * std::max<Index>(width, 1);
  const Index by_work = std::max<Index>(work / kWorkPerChunk, 1);
  const Index by_threads = kChunksPerThread * std::max(num_threads(), 1);
  const Index chunks = std::min({by_work, by_threads, num_rows});
  bounds.reserve(static_cast<std::size_t>(chunks) + 1);
  for (Index c = 1; c < chunks; ++c) {
    const Index target = total / chunks * c + total % chunks * c / chunks;
    Index lo = bounds.back();
    Index hi = num_rows;
    while (lo < hi) {  // first r with cost(r) >= target
      const Index mid = lo + (hi - lo) / 2;
      if (row_ptr[mid] + mid < target)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (lo > bounds.back() && lo < num_rows) bounds.push_back(lo);
  }
  bounds.push_back(num_rows);
  return bounds;
}

}  // namespace moegnn::ops::detail
