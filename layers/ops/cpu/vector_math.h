// SPDX-License-Identifier: Apache-2.0
// Small inline helpers for the CPU kernels: a dot product that vectorises without -ffast-math and
// still gives the same bits on every run, and software prefetch of a feature row.
#pragma once

#include "core/types.h"

namespace moegnn::ops::cpu {

// Independent partial sums per dot product: 16 floats fill one AVX-512 register (two AVX2 ones).
inline constexpr Index kLanes = 16;

// Σ a[i]·b[i]. GCC will not reorder a scalar float sum, so the loop keeps kLanes partial sums
// (which it vectorises) and combines them in a fixed tree: deterministic, thread-count independent.
inline float dot(const float* a, const float* b, Index n) {
  float acc[kLanes] = {};
  Index i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (Index l = 0; l < kLanes; ++l) acc[l] += a[i + l] * b[i + l];
  }
  float tail = 0.0f;
  for (; i < n; ++i) tail += a[i] * b[i];
  for (Index width = kLanes / 2; width > 0; width /= 2) {
    for (Index l = 0; l < width; ++l) acc[l] += acc[l + width];
  }
  return acc[0] + tail;
}

// Asks for the cache lines of floats [p, p + count) ahead of use (a hint: never faults).
inline void prefetch_floats(const float* p, Index count) {
  for (Index f = 0; f < count; f += kLanes) __builtin_prefetch(p + f, 0, 3);
}

}  // namespace moegnn::ops::cpu
