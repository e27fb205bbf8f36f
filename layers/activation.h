// SPDX-License-Identifier: Apache-2.0
// Activation: the nonlinearities a layer stack can be configured with (PyG's `act` argument of MLP
// and BasicGNN), as an enum with a name parser, so options structs and command lines can pick one.
#pragma once

#include <string_view>

#include "core/tape.h"

namespace moegnn::layers {

enum class Activation { Identity, Relu, Elu, Gelu, LeakyRelu, Tanh };

// act(x) on the tape; `negative_slope` is read by LeakyRelu only (PyTorch's default 0.01).
Var activate(Tape& tape, Var x, Activation act, float negative_slope = 0.01f);

// "identity", "relu", "elu", "gelu", "leaky_relu", "tanh" (PyG's names) and back.
// parse_activation throws InvalidArgument on any other name.
Activation parse_activation(std::string_view name);
std::string_view to_string(Activation act);

}  // namespace moegnn::layers
