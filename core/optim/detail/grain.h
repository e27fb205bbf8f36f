// SPDX-License-Identifier: Apache-2.0
// Private to core/optim: how many elements an optimizer loop gives one thread at least. Element
// updates are independent, so the value changes speed only, never results.
#pragma once

#include "core/types.h"

namespace moegnn::optim::detail {

// Below this a parameter is updated on the calling thread (spawning costs more than it saves).
inline constexpr Index kElementGrain = Index{1} << 15;

}  // namespace moegnn::optim::detail
