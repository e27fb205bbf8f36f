// SPDX-License-Identifier: Apache-2.0
// The STREAM-style triad behind stream_triad.h.
#include "bench/layers/ops/stream_triad.h"

#include <algorithm>
#include <chrono>

#include "core/parallel.h"

namespace moegnn::bench {
namespace {
// Large blocks keep scheduling overhead negligible against a pass of ~100 MB per array.
constexpr Index kGrain = Index{1} << 16;
}  // namespace

StreamTriad::StreamTriad(Index elements)
    : elements_(elements),
      a_(static_cast<std::size_t>(elements)),
      b_(static_cast<std::size_t>(elements)),
      c_(static_cast<std::size_t>(elements)) {
  parallel_for_range(
      0, elements_,
      [&](Index lo, Index hi) {
        for (Index i = lo; i < hi; ++i) {
          a_[i] = 0.0f;
          b_[i] = 1.0f;
          c_[i] = 2.0f;
        }
      },
      kGrain);
}

void StreamTriad::run(float scalar) {
  float* a = a_.data();
  const float* b = b_.data();
  const float* c = c_.data();
  parallel_for_range(
      0, elements_,
      [=](Index lo, Index hi) {
        for (Index i = lo; i < hi; ++i) a[i] = b[i] + scalar * c[i];
      },
      kGrain);
}

double triad_bytes_per_second(int passes) {
  static const double best = [passes] {
    StreamTriad triad;
    triad.run();  // warm-up
    double fastest = 1e30;
    for (int p = 0; p < passes; ++p) {
      const auto start = std::chrono::steady_clock::now();
      triad.run();
      const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
      fastest = std::min(fastest, took.count());
    }
    return triad.bytes_per_pass() / fastest;
  }();
  return best;
}

}  // namespace moegnn::bench
