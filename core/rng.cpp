// SPDX-License-Identifier: Apache-2.0
// Out-of-line draws of core/rng.h.
#include "core/rng.h"

#include <cmath>
#include <numbers>

#include "core/error.h"

namespace moegnn {
namespace {
__extension__ using Uint128 = unsigned __int128;
}  // namespace

float Rng::normal() {
  // Box–Muller; 1 - u keeps the logarithm's argument in (0, 1].
  const float u1 = 1.0f - uniform();
  const float u2 = uniform();
  return std::sqrt(-2.0f * std::log(u1)) * std::cos(2.0f * std::numbers::pi_v<float> * u2);
}

std::uint64_t Rng::below(std::uint64_t n) {
  MOEGNN_CHECK(n > 0, "range size ", n, " vs > 0");
  // Lemire, "Fast Random Integer Generation in an Interval" (2019).
  Uint128 m = static_cast<Uint128>(next_u64()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<Uint128>(next_u64()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

}  // namespace moegnn
