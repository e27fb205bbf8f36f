// SPDX-License-Identifier: Apache-2.0
// A STREAM-style triad (McCalpin): a[i] = b[i] + s · c[i] over float32 arrays far larger than the
// last-level cache, run through core/parallel.h on the same threads as the kernels. Its bandwidth
// is the yardstick the SpMM benchmarks report against (counting 12 bytes per element: two reads and
// one write, no write-allocate traffic, as STREAM counts).
#pragma once

#include <vector>

#include "core/types.h"

namespace moegnn::bench {

class StreamTriad {
 public:
  // Three arrays of `elements` floats, first touched in parallel (so pages spread like the loop).
  explicit StreamTriad(Index elements = Index{1} << 25);

  void run(float scalar = 3.0f);  // one pass
  Index elements() const { return elements_; }
  double bytes_per_pass() const { return 12.0 * static_cast<double>(elements_); }

 private:
  Index elements_;
  std::vector<float> a_;
  std::vector<float> b_;
  std::vector<float> c_;
};

// The best of `passes` timed triad passes, in bytes per second; measured on first call and cached
// for the process (the SpMM benchmarks divide by it).
double triad_bytes_per_second(int passes = 10);

}  // namespace moegnn::bench
