// SPDX-License-Identifier: Apache-2.0
// Parameter initialisers.
#include "layers/init.h"

#include <cmath>

#include "core/error.h"

namespace moegnn::layers {

Tensor glorot_uniform(Index fan_in, Index fan_out, Rng& rng) {
  MOEGNN_CHECK(fan_in > 0 && fan_out > 0, "fans must be positive: ", fan_in, " × ", fan_out,
               " vs > 0");
  const auto bound = static_cast<float>(std::sqrt(6.0 / static_cast<double>(fan_in + fan_out)));
  Tensor weight = Tensor::empty(fan_in, fan_out);
  float* w = weight.data();
  for (Index i = 0; i < weight.size(); ++i) w[i] = rng.uniform(-bound, bound);
  return weight;
}

}  // namespace moegnn::layers
