// SPDX-License-Identifier: Apache-2.0
// Test helpers: seeded random tensors, closeness checks, and the gradient check that compares
// Tape::backward against central finite differences (flashlight's jacobianTestImpl idea).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "core/rng.h"
#include "core/tape.h"

namespace moegnn::support {

// rows × cols with entries uniform in [lo, hi), from `seed`.
Tensor random_tensor(Index rows, Index cols, std::uint64_t seed, float lo = -1.0f, float hi = 1.0f);

// |a - b| <= atol + rtol·|b| elementwise, with the first offending element in the failure message.
testing::AssertionResult all_close(const Tensor& actual, const Tensor& expected, float atol = 1e-5f,
                                   float rtol = 1e-5f);

// f maps tape-leaves (one per input, in order) to any tensor-valued Var. The check reduces f to a
// scalar with a fixed random projection, L = Σ R ⊙ f(x), then compares dL/dx from the tape with
// (L(x + h) - L(x - h)) / 2h for every element of every input, in double-accumulated float math.
// Inputs listed in `constant` (by position) are recorded as constants and not checked.
using GradFn = std::function<Var(Tape&, const std::vector<Var>&)>;
testing::AssertionResult gradient_matches(const GradFn& f, const std::vector<Tensor>& inputs,
                                          float step = 1e-2f, float atol = 2e-3f,
                                          float rtol = 2e-2f,
                                          const std::vector<int>& constant = {});

}  // namespace moegnn::support
