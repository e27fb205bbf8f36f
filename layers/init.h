// SPDX-License-Identifier: Apache-2.0
// Parameter initialisers shared by the layers. They draw sequentially from the caller's Rng, so a
// seeded model is the same on any thread count.
#pragma once

#include "core/rng.h"
#include "core/tensor.h"

namespace moegnn::layers {

// Glorot & Bengio (2010) uniform: U(-a, a) with a = sqrt(6 / (fan_in + fan_out)), as PyG's
// `glorot`. Returns fan_in × fan_out (our weights multiply from the right: y = x · W).
// Throws InvalidArgument unless both fans are positive.
Tensor glorot_uniform(Index fan_in, Index fan_out, Rng& rng);

}  // namespace moegnn::layers
