// SPDX-License-Identifier: Apache-2.0
// Edge-balanced parallel loops over the rows of a CSR-style offset array. On power-law graphs a few
// rows hold most edges, so cutting the row range into equal row counts leaves one thread with most
// of the work; here each chunk gets about the same number of edges plus rows. Every row is still
// processed by exactly one serial loop, so results do not depend on the chunking or the thread
// count.
#pragma once

#include <vector>

#include "core/parallel.h"
#include "graph/types.h"

namespace moegnn::ops::detail {

// Boundaries 0 = b[0] < b[1] < … < b[m] = num_rows (m >= 1; {0} alone when num_rows == 0) that cut
// the rows into chunks of about equal cost, a row costing (its edges + 1) × max(width, 1).
// row_ptr: num_rows + 1 non-decreasing offsets (already validated by the caller).
std::vector<Index> balanced_row_chunks(const graph::EdgeId* row_ptr, Index num_rows, Index width);

// body(lo, hi) over disjoint row ranges covering [0, num_rows), chunked by balanced_row_chunks and
// spread over the threads of core/parallel.h. Bodies must not throw.
template <typename Body>
void parallel_over_rows(const graph::EdgeId* row_ptr, Index num_rows, Index width, Body&& body) {
  const std::vector<Index> bounds = balanced_row_chunks(row_ptr, num_rows, width);
  const auto chunks = static_cast<Index>(bounds.size()) - 1;
  if (chunks <= 0) return;
  if (chunks == 1) {
    body(bounds[0], bounds[1]);
    return;
  }
  parallel_for(
      0, chunks,
      [&](Index c) {
        body(bounds[static_cast<std::size_t>(c)], bounds[static_cast<std::size_t>(c) + 1]);
      },
      1);
}

}  // namespace moegnn::ops::detail
