// SPDX-License-Identifier: Apache-2.0
// Loop shapes shared by the CPU kernels of core/ops. Every split made here is fixed by the data's
// shape, never by the thread count: Eigen's vector paths round differently from their scalar tails,
// and partial sums depend on where the cuts fall, so fixing the cuts is what makes every kernel
// give bit-identical output on any number of threads.
#pragma once

#include <algorithm>
#include <functional>
#include <utility>
#include <vector>

#include "core/parallel.h"
#include "core/types.h"

namespace moegnn::ops::cpu {

// Elements per task of elementwise kernels. A multiple of 64, so every chunk starts on the buffer's
// 64-byte alignment and Eigen peels the same elements in every run.
inline constexpr Index kElementChunk = Index{1} << 15;

// body(lo, hi) over the fixed chunks [c·kElementChunk, (c+1)·kElementChunk) ∩ [0, size), in
// parallel.
template <typename Body>
void for_each_chunk(Index size, Body&& body) {
  const Index chunks = (size + kElementChunk - 1) / kElementChunk;
  parallel_for(
      0, chunks,
      [&](Index c) {
        const Index lo = c * kElementChunk;
        body(lo, std::min(size, lo + kElementChunk));
      },
      1);
}

// Rows per task for kernels that treat each row on its own (about kElementChunk elements per task).
inline Index rows_per_task(Index cols) {
  return std::max<Index>(1, kElementChunk / std::max<Index>(cols, 1));
}

// body(row_lo, row_hi) over disjoint row ranges. Only for kernels whose result for a row does not
// depend on which range the row falls in (row-wise softmax, broadcasts); reductions across rows use
// column_reduce.
template <typename Body>
void for_each_row_block(Index rows, Index cols, Body&& body) {
  parallel_for_range(0, rows, std::forward<Body>(body), rows_per_task(cols));
}

// Σ value(i) for i in [lo, hi), in 8 double lanes combined in a fixed order (vectorisable, and the
// order depends only on lo and hi).
template <typename Value>
double lane_sum(Index lo, Index hi, Value&& value) {
  double lanes[8] = {};
  Index i = lo;
  for (; i + 8 <= hi; i += 8)
    for (int l = 0; l < 8; ++l) lanes[l] += static_cast<double>(value(i + l));
  double tail = 0.0;
  for (; i < hi; ++i) tail += static_cast<double>(value(i));
  return ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) +
         ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7])) + tail;
}

// Σ value(i) over [0, size): fixed chunks of kElementChunk summed in parallel, partials in order.
template <typename Value>
double chunked_sum(Index size, Value&& value) {
  return deterministic_reduce(
      Index{0}, size, 0.0, [&](Index lo, Index hi) { return lane_sum(lo, hi, value); },
      std::plus<>(), kElementChunk);
}

// Column sums over rows: out[0, width) = Σ_i (what row_fn(i, acc) adds into acc[0, width)).
// Rows are cut into blocks whose size depends on `width` only; each block sums into its own partial
// row and the partials are added in block order, so the result is the same on any thread count.
template <typename RowFn>
void column_reduce(Index rows, Index width, float* out, RowFn&& row_fn) {
  std::fill(out, out + width, 0.0f);
  const Index block = std::clamp<Index>(kElementChunk / std::max<Index>(width, 1), 8, 1024);
  const Index blocks = (rows + block - 1) / block;
  if (blocks <= 1) {
    for (Index i = 0; i < rows; ++i) row_fn(i, out);
    return;
  }
  std::vector<float> partial(static_cast<std::size_t>(blocks * width), 0.0f);
  parallel_for(
      0, blocks,
      [&](Index b) {
        float* acc = partial.data() + b * width;
        const Index hi = std::min(rows, (b + 1) * block);
        for (Index i = b * block; i < hi; ++i) row_fn(i, acc);
      },
      1);
  // Each column adds its partials in block order; columns are independent, so split them.
  parallel_for_range(
      0, width,
      [&](Index lo, Index hi) {
        for (Index b = 0; b < blocks; ++b) {
          const float* acc = partial.data() + b * width;
          for (Index j = lo; j < hi; ++j) out[j] += acc[j];
        }
      },
      std::max<Index>(256, kElementChunk / blocks));
}

}  // namespace moegnn::ops::cpu
