// SPDX-License-Identifier: Apache-2.0
// ConfidenceGate: output range, gradient checks of all three input modes (inputs and parameters),
// and bad input. The checks use a small step (1e-3): the gate MLPs' ReLU kinks sit close enough to
// the random inputs that the default 1e-2 step straddles one.
#include <gtest/gtest.h>

#include "core/error.h"
#include "models/mowst/gate.h"
#include "tests/layers/parameter_gradcheck.h"
#include "tests/support/gradcheck.h"

namespace moegnn::mowst {
namespace {

constexpr Index kRows = 5;
constexpr Index kFeatures = 3;

GateOptions options_for(GateInput input) {
  return GateOptions{.input = input,
                     .in_features = kFeatures,
                     .hidden_channels = 4,
                     .num_layers = 2,
                     .dropout = 0.0f,
                     .hyper_hidden = 4,
                     .hyper_num_layers = 2,
                     .hyper_dropout = 0.0f};
}

class GateModes : public ::testing::TestWithParam<GateInput> {};

TEST_P(GateModes, OutputsOneConfidencePerRowInUnitInterval) {
  Rng rng(1);
  ConfidenceGate gate(options_for(GetParam()), rng);
  Tape tape(Tape::Mode::Inference);
  const Var d = tape.constant(support::random_tensor(kRows, 2, 2, 0.0f, 1.0f));
  const Var x = tape.constant(support::random_tensor(kRows, kFeatures, 3));
  const Tensor c = gate.forward(tape, d, x, rng).value();
  ASSERT_EQ(c.rows(), kRows);
  ASSERT_EQ(c.cols(), 1);
  for (Index i = 0; i < kRows; ++i) {
    EXPECT_GT(c.host()(i, 0), 0.0f);
    EXPECT_LT(c.host()(i, 0), 1.0f);
  }
}

TEST_P(GateModes, InputGradientsMatchFiniteDifferences) {
  Rng rng(4);
  ConfidenceGate gate(options_for(GetParam()), rng);
  EXPECT_TRUE(support::gradient_matches(
      [&gate](Tape& tape, const std::vector<Var>& in) {
        Rng unused(0);
        return gate.forward(tape, in[0], in[1], unused);
      },
      {support::random_tensor(kRows, 2, 15, 0.0f, 1.0f),
       support::random_tensor(kRows, kFeatures, 16)},
      1e-3f, 2e-3f, 2e-2f,
      GetParam() == GateInput::Dispersion ? std::vector<int>{1} : std::vector<int>{}));
}

TEST_P(GateModes, ParameterGradientsMatchFiniteDifferences) {
  Rng rng(7);
  ConfidenceGate gate(options_for(GetParam()), rng);
  const Tensor d = support::random_tensor(kRows, 2, 8, 0.0f, 1.0f);
  const Tensor x = support::random_tensor(kRows, kFeatures, 9);
  EXPECT_TRUE(support::parameter_gradients_match(
      gate.parameters(),
      [&](Tape& tape) {
        Rng unused(0);
        return gate.forward(tape, tape.constant(d), tape.constant(x), unused);
      },
      1e-3f));
}

INSTANTIATE_TEST_SUITE_P(Inputs, GateModes,
                         ::testing::Values(GateInput::Dispersion, GateInput::DispersionFeatures,
                                           GateInput::Hypernetwork),
                         [](const auto& info) {
                           switch (info.param) {
                           case GateInput::Dispersion:
                             return std::string("Dispersion");
                           case GateInput::DispersionFeatures:
                             return std::string("Features");
                           case GateInput::Hypernetwork:
                             return std::string("Hypernetwork");
                           }
                           return std::string("Unknown");
                         });

TEST(ConfidenceGate, RejectsBadOptionsAndInputs) {
  Rng rng(1);
  GateOptions no_features = options_for(GateInput::DispersionFeatures);
  no_features.in_features = 0;
  EXPECT_THROW(ConfidenceGate(no_features, rng), InvalidArgument);
  GateOptions no_width = options_for(GateInput::Dispersion);
  no_width.hidden_channels = 0;
  EXPECT_THROW(ConfidenceGate(no_width, rng), InvalidArgument);

  ConfidenceGate gate(options_for(GateInput::DispersionFeatures), rng);
  Tape tape(Tape::Mode::Inference);
  const Var three_cols = tape.constant(Tensor::zeros(kRows, 3));
  const Var d = tape.constant(Tensor::zeros(kRows, 2));
  EXPECT_THROW(gate.forward(tape, three_cols, three_cols, rng), InvalidArgument);
  EXPECT_THROW(gate.forward(tape, d, Var{}, rng), InvalidArgument);  // features missing
  EXPECT_THROW(gate.forward(tape, d, tape.constant(Tensor::zeros(kRows, 4)), rng), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::mowst
