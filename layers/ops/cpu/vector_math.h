// SPDX-License-Identifier: Apache-2.0
// Small inline helpers for the CPU kernels: a dot product that vectorises without -ffast-math and
// still gives the same bits on every run, and software prefetch of a feature row.
#pragma once

#include <cstdint>
#include <cstring>

#include "core/types.h"

// The one ISA switch of the kernels (not a CUDA switch): non-temporal stores need intrinsics.
#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace moegnn::ops::cpu {

// Independent partial sums per dot product: 16 floats fill one AVX-512 register (two AVX2 ones).
inline constexpr Index kLanes = 16;

// Folds kLanes partial sums in a fixed tree (the order dot() uses).
inline float fold_lanes(float* acc) {
  for (Index width = kLanes / 2; width > 0; width /= 2) {
    for (Index l = 0; l < width; ++l) acc[l] += acc[l + width];
  }
  return acc[0];
}

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
  return fold_lanes(acc) + tail;
}

// out[e] = dot(a, b[e], n) for e < 4, with dot()'s order of additions per product; the four
// independent chains share the loads of `a` and hide the FMA latency that one chain exposes.
// (Four named accumulators, not a 4 × kLanes array: GCC vectorises only this form.)
inline void dot4(const float* a, const float* const b[4], Index n, float out[4]) {
  const float* b0 = b[0];
  const float* b1 = b[1];
  const float* b2 = b[2];
  const float* b3 = b[3];
  float acc0[kLanes] = {};
  float acc1[kLanes] = {};
  float acc2[kLanes] = {};
  float acc3[kLanes] = {};
  Index i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (Index l = 0; l < kLanes; ++l) {
      const float v = a[i + l];
      acc0[l] += v * b0[i + l];
      acc1[l] += v * b1[i + l];
      acc2[l] += v * b2[i + l];
      acc3[l] += v * b3[i + l];
    }
  }
  float tail[4] = {};
  for (; i < n; ++i) {
    tail[0] += a[i] * b0[i];
    tail[1] += a[i] * b1[i];
    tail[2] += a[i] * b2[i];
    tail[3] += a[i] * b3[i];
  }
  out[0] = fold_lanes(acc0) + tail[0];
  out[1] = fold_lanes(acc1) + tail[1];
  out[2] = fold_lanes(acc2) + tail[2];
  out[3] = fold_lanes(acc3) + tail[3];
}

// kLanes floats as one value (GCC/Clang vector extension): one AVX-512 register, two AVX2 ones.
// Register tiles are arrays of these rather than float arrays, which GCC zeroes with `rep stos`
// on the stack and reloads: a third of an L2-resident SpMM's time at F = 128.
using Vec = float __attribute__((vector_size(kLanes * sizeof(float))));
inline Vec load_vec(const float* p) {
  Vec v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store_vec(float* p, Vec v) { std::memcpy(p, &v, sizeof v); }

inline bool is_aligned(const float* p) {
  return reinterpret_cast<std::uintptr_t>(p) % (kLanes * sizeof(float)) == 0;
}

// Writes src[0, kLanes) to the 64-byte-aligned dst, bypassing the caches where the ISA allows (a
// plain copy otherwise). Call streaming_fence() before other threads read dst.
inline void store_streaming(float* dst, const float* src) {
#if defined(__AVX512F__)
  _mm512_stream_ps(dst, _mm512_loadu_ps(src));
#else
  for (Index l = 0; l < kLanes; ++l) dst[l] = src[l];
#endif
}
inline void store_streaming(float* dst, Vec v) {
#if defined(__AVX512F__)
  _mm512_stream_ps(dst, v);
#else
  store_vec(dst, v);
#endif
}
inline void streaming_fence() {
#if defined(__AVX512F__)
  _mm_sfence();
#endif
}

// Asks for the cache lines of floats [p, p + count) ahead of use, into L2 (a hint: never faults).
inline void prefetch_floats(const float* p, Index count) {
  for (Index f = 0; f < count; f += kLanes) __builtin_prefetch(p + f, 0, 2);
}

}  // namespace moegnn::ops::cpu
