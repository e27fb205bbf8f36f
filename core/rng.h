// SPDX-License-Identifier: Apache-2.0
// Seeded, counter-based random numbers. Rng is a (seed, counter) pair: sequential draws advance the
// counter, and parallel kernels draw element i with Rng::bits(key, i), so results do not depend on
// the thread count. The mixer is SplitMix64 (Steele, Lea & Flood, 2014) applied twice.
#pragma once

#include <cstdint>

#include "core/types.h"

namespace moegnn {

class Rng {
 public:
  static constexpr std::uint64_t kDefaultSeed = 42;

  explicit Rng(std::uint64_t seed = kDefaultSeed) : seed_(seed) {}

  // 64 random bits for (key, counter): a pure function, safe to call from any thread.
  static std::uint64_t bits(std::uint64_t key, std::uint64_t counter) {
    return mix(mix(key) ^ (counter * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL));
  }
  // Uniform float in [0, 1) from 64 bits (24 significant bits, never 1.0).
  static float to_unit(std::uint64_t bits) {
    return static_cast<float>(bits >> 40) * (1.0f / 16777216.0f);
  }

  std::uint64_t next_u64() { return bits(seed_, counter_++); }
  float uniform() { return to_unit(next_u64()); }
  float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }
  float normal();  // standard normal (Box–Muller on two draws)
  // Uniform integer in [0, n); n > 0. Lemire's multiply-shift with rejection (unbiased).
  std::uint64_t below(std::uint64_t n);
  // A key for a parallel kernel: the kernel draws Rng::bits(key, element). Advances this stream.
  std::uint64_t split() { return next_u64(); }
  // An independent generator (e.g. one per worker or per epoch). Advances this stream.
  Rng fork() { return Rng(next_u64()); }

  std::uint64_t seed() const { return seed_; }
  std::uint64_t counter() const { return counter_; }
  // Restores a saved (seed, counter) state: resumable training reproduces the same draws.
  void set_state(std::uint64_t seed, std::uint64_t counter) {
    seed_ = seed;
    counter_ = counter;
  }

 private:
  static std::uint64_t mix(std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t seed_;
  std::uint64_t counter_ = 0;
};

}  // namespace moegnn
