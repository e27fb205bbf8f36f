// SPDX-License-Identifier: Apache-2.0
// Activation dispatch and names.
#include "layers/activation.h"

#include <array>
#include <string>
#include <utility>

#include "core/error.h"
#include "core/ops/elementwise.h"

namespace moegnn::layers {
namespace {

constexpr std::array<std::pair<Activation, std::string_view>, 6> kNames{{
    {Activation::Identity, "identity"},
    {Activation::Relu, "relu"},
    {Activation::Elu, "elu"},
    {Activation::Gelu, "gelu"},
    {Activation::LeakyRelu, "leaky_relu"},
    {Activation::Tanh, "tanh"},
}};

}  // namespace

Var activate(Tape& tape, Var x, Activation act, float negative_slope) {
  switch (act) {
  case Activation::Identity:
    return x;
  case Activation::Relu:
    return ops::relu(tape, x);
  case Activation::Elu:
    return ops::elu(tape, x);
  case Activation::Gelu:
    return ops::gelu(tape, x);
  case Activation::LeakyRelu:
    return ops::leaky_relu(tape, x, negative_slope);
  case Activation::Tanh:
    return ops::tanh(tape, x);
  }
  MOEGNN_FAIL(InvalidArgument, "activate", "unknown activation ", static_cast<int>(act),
              " vs one of identity, relu, elu, gelu, leaky_relu, tanh");
}

Activation parse_activation(std::string_view name) {
  for (const auto& [act, act_name] : kNames)
    if (act_name == name) return act;
  MOEGNN_FAIL(InvalidArgument, "parse_activation", "unknown activation '", std::string(name),
              "' vs one of identity, relu, elu, gelu, leaky_relu, tanh");
}

std::string_view to_string(Activation act) {
  for (const auto& [a, name] : kNames)
    if (a == act) return name;
  return "unknown";
}

}  // namespace moegnn::layers
