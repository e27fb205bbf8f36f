// SPDX-License-Identifier: Apache-2.0
// Templated CPU loops for elementwise ops (private to core/ops): maps over fixed chunks, binary ops
// with a broadcast right operand, and the reduction of a broadcast operand's gradient. The callers
// pass small lambdas that inline into these loops, so the inner loops stay contiguous and
// vectorise.
#pragma once

#include <Eigen/Core>

#include "core/ops/cpu/loops.h"

namespace moegnn::ops::cpu {

// How b (right operand) lines up with a (m × n): m × n, 1 × n, m × 1, or 1 × 1.
enum class Broadcast { Full, Row, Col, Scalar };

using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;

// out[0, size) = fn over fixed chunks; fn(const float* in, float* out, Index count) may use Eigen
// arrays (vectorised exp, tanh, ...).
template <typename ChunkFn>
void map_chunks(const float* in, float* out, Index size, ChunkFn&& fn) {
  for_each_chunk(size, [&](Index lo, Index hi) { fn(in + lo, out + lo, hi - lo); });
}

// dst[e] += value(e) for e in [0, size).
template <typename Value>
void accumulate_elements(float* dst, Index size, Value&& value) {
  for_each_chunk(size, [&](Index lo, Index hi) {
    for (Index e = lo; e < hi; ++e) dst[e] += value(e);
  });
}

// dst[e] = value(e) for e in [0, size), in the same chunks.
template <typename Value>
void assign_elements(float* dst, Index size, Value&& value) {
  for_each_chunk(size, [&](Index lo, Index hi) {
    for (Index e = lo; e < hi; ++e) dst[e] = value(e);
  });
}

// body(e, be) for every element e = i·n + j of an m × n tensor, with be the index of b's element
// broadcast onto it. Each element is visited once; the split into tasks never changes a result.
template <typename Body>
void for_each_broadcast(Broadcast mode, Index m, Index n, Body&& body) {
  switch (mode) {
  case Broadcast::Full:
    for_each_chunk(m * n, [&](Index lo, Index hi) {
      for (Index e = lo; e < hi; ++e) body(e, e);
    });
    break;
  case Broadcast::Scalar:
    for_each_chunk(m * n, [&](Index lo, Index hi) {
      for (Index e = lo; e < hi; ++e) body(e, Index{0});
    });
    break;
  case Broadcast::Row:
    for_each_row_block(m, n, [&](Index r0, Index r1) {
      for (Index i = r0; i < r1; ++i)
        for (Index j = 0; j < n; ++j) body(i * n + j, j);
    });
    break;
  case Broadcast::Col:
    for_each_row_block(m, n, [&](Index r0, Index r1) {
      for (Index i = r0; i < r1; ++i)
        for (Index j = 0; j < n; ++j) body(i * n + j, i);
    });
    break;
  }
}

// gb += the sum of value(e, be) over the elements that b broadcasts onto (b's gradient):
// elementwise for Full, over rows for Row (column_reduce), over each row for Col, over everything
// for Scalar. Every sum runs in a fixed order, so the gradient is the same on any thread count.
template <typename Value>
void reduce_broadcast(Broadcast mode, Index m, Index n, float* gb, Value&& value) {
  switch (mode) {
  case Broadcast::Full:
    for_each_broadcast(mode, m, n, [&](Index e, Index be) { gb[be] += value(e, be); });
    break;
  case Broadcast::Row: {
    std::vector<float> total(static_cast<std::size_t>(n));
    column_reduce(m, n, total.data(), [&](Index i, float* acc) {
      for (Index j = 0; j < n; ++j) acc[j] += value(i * n + j, j);
    });
    for (Index j = 0; j < n; ++j) gb[j] += total[static_cast<std::size_t>(j)];
    break;
  }
  case Broadcast::Col:
    for_each_row_block(m, n, [&](Index r0, Index r1) {
      for (Index i = r0; i < r1; ++i)
        gb[i] +=
            static_cast<float>(lane_sum(i * n, (i + 1) * n, [&](Index e) { return value(e, i); }));
    });
    break;
  case Broadcast::Scalar:
    gb[0] += static_cast<float>(chunked_sum(m * n, [&](Index e) { return value(e, Index{0}); }));
    break;
  }
}

}  // namespace moegnn::ops::cpu
