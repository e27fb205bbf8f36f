// SPDX-License-Identifier: Apache-2.0
// Mowst dispersions against hand-computed values, the tape form against the tensor form, their
// gradient, and bad input.
#include <cmath>

#include <gtest/gtest.h>

#include "core/error.h"
#include "models/mowst/confidence.h"
#include "tests/support/gradcheck.h"

namespace moegnn::mowst {
namespace {

// Rows: one-hot, uniform, half/half/0, (0.7, 0.2, 0.1).
Tensor probabilities() {
  return Tensor::from_rows(
      {{1.0f, 0.0f, 0.0f}, {1.0f / 3, 1.0f / 3, 1.0f / 3}, {0.5f, 0.5f, 0.0f}, {0.7f, 0.2f, 0.1f}});
}

TEST(MowstDispersion, VarianceMatchesHandComputedValues) {
  // (K·‖p‖² − 1)/(K − 1) with K = 3: ‖p‖² = 1, 1/3, 1/2, 0.54.
  const Tensor d = variance_dispersion(probabilities());
  ASSERT_EQ(d.rows(), 4);
  ASSERT_EQ(d.cols(), 1);
  EXPECT_NEAR(d.host()(0, 0), 1.0f, 1e-6f);
  EXPECT_NEAR(d.host()(1, 0), 0.0f, 1e-6f);
  EXPECT_NEAR(d.host()(2, 0), 0.25f, 1e-6f);
  EXPECT_NEAR(d.host()(3, 0), 0.31f, 1e-6f);
}

TEST(MowstDispersion, NegativeEntropyMatchesHandComputedValues) {
  // 1 − H/ln 3: H = 0, ln 3, ln 2, 0.801819 (0.7 ln 0.7 + 0.2 ln 0.2 + 0.1 ln 0.1 negated).
  const Tensor d = entropy_dispersion(probabilities());
  EXPECT_NEAR(d.host()(0, 0), 1.0f, 1e-6f);
  EXPECT_NEAR(d.host()(1, 0), 0.0f, 1e-6f);
  EXPECT_NEAR(d.host()(2, 0), 1.0f - 0.6309298f, 1e-6f);
  EXPECT_NEAR(d.host()(3, 0), 1.0f - 0.801819f / 1.0986123f, 1e-5f);
}

TEST(MowstDispersion, TapeFormOfLogitsMatchesTensorForms) {
  const Tensor logits = support::random_tensor(6, 4, 3, -3.0f, 3.0f);
  Tensor p = logits.clone();
  for (Index i = 0; i < 6; ++i) {
    auto row = p.host().row(i);
    row = (row.array() - row.maxCoeff()).exp().matrix();
    row /= row.sum();
  }
  const Tensor both = dispersions(logits);
  ASSERT_EQ(both.cols(), 2);
  const Tensor var = variance_dispersion(p), ent = entropy_dispersion(p);
  for (Index i = 0; i < 6; ++i) {
    EXPECT_NEAR(both.host()(i, 0), var.host()(i, 0), 1e-5f);
    EXPECT_NEAR(both.host()(i, 1), ent.host()(i, 0), 1e-5f);
  }
}

TEST(MowstDispersion, SaturatedLogitsGiveFiniteEntropy) {
  const Tensor d = dispersions(Tensor::from_rows({{200.0f, -200.0f, 0.0f}}));
  EXPECT_TRUE(std::isfinite(d.host()(0, 1)));
  EXPECT_NEAR(d.host()(0, 1), 1.0f, 1e-5f);
}

TEST(MowstDispersion, GradientMatchesFiniteDifferences) {
  EXPECT_TRUE(support::gradient_matches(
      [](Tape& tape, const std::vector<Var>& in) { return dispersions(tape, in[0]); },
      {support::random_tensor(5, 3, 11, -2.0f, 2.0f)}, 1e-2f, 2e-3f, 2e-2f));
}

TEST(MowstDispersion, RejectsFewerThanTwoClasses) {
  EXPECT_THROW(variance_dispersion(Tensor::ones(3, 1)), InvalidArgument);
  EXPECT_THROW(entropy_dispersion(Tensor::ones(3, 1)), InvalidArgument);
  EXPECT_THROW(dispersions(Tensor::ones(3, 1)), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::mowst
