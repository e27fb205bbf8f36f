// SPDX-License-Identifier: Apache-2.0
// The one door to oneTBB (GBBS's bridge.h idea): parallel loops, deterministic chunked reductions and
// the thread count. Kernels validate before calling these; bodies should not throw.
#pragma once

#include <functional>
#include <vector>

#include "core/types.h"

namespace moegnn {

// Limits the threads every later parallel call uses (0 = all hardware threads). Lasts until the next
// call; not thread-safe against concurrent parallel work.
void set_num_threads(int threads);
int num_threads();

namespace detail {
void parallel_for_chunks(Index begin, Index end, Index grain,
                         const std::function<void(Index, Index)>& body);
}  // namespace detail

// body(i) for i in [begin, end), in chunks of at least `grain` indices spread over the threads.
template <typename Body>
void parallel_for(Index begin, Index end, Body&& body, Index grain = 1024) {
  if (end - begin <= grain) {
    for (Index i = begin; i < end; ++i) body(i);
    return;
  }
  detail::parallel_for_chunks(begin, end, grain, [&](Index lo, Index hi) {
    for (Index i = lo; i < hi; ++i) body(i);
  });
}

// body(lo, hi) over disjoint ranges covering [begin, end).
template <typename Body>
void parallel_for_range(Index begin, Index end, Body&& body, Index grain = 1024) {
  if (end - begin <= grain) {
    if (end > begin) body(begin, end);
    return;
  }
  detail::parallel_for_chunks(begin, end, grain, std::function<void(Index, Index)>(body));
}

// Deterministic reduction: [begin, end) is cut into fixed chunks of `chunk` indices independent of
// the thread count, each chunk is reduced serially by chunk_fn(lo, hi), and the partials are combined
// left to right. The same inputs give bit-identical results on any number of threads.
template <typename T, typename ChunkFn, typename Combine>
T deterministic_reduce(Index begin, Index end, T identity, ChunkFn&& chunk_fn, Combine&& combine,
                       Index chunk = 4096) {
  if (end <= begin) return identity;
  const Index chunks = (end - begin + chunk - 1) / chunk;
  std::vector<T> partial(static_cast<std::size_t>(chunks), identity);
  parallel_for(0, chunks, [&](Index c) {
    const Index lo = begin + c * chunk;
    const Index hi = lo + chunk < end ? lo + chunk : end;
    partial[static_cast<std::size_t>(c)] = chunk_fn(lo, hi);
  }, 1);
  T total = identity;
  for (const T& p : partial) total = combine(total, p);
  return total;
}

}  // namespace moegnn
