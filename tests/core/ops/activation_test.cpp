// SPDX-License-Identifier: Apache-2.0
// One-input math functions and activations of elementwise.h against the C library, with gradients
// checked away from kinks (relu, leaky_relu, clamp, elu at 0) and on positive inputs for
// log/sqrt/pow.
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "tests/core/ops/op_test_util.h"
#include "tests/support/gradcheck.h"

namespace moegnn {
namespace {

struct Unary {
  std::string name;
  std::function<Var(Tape&, Var)> op;
  std::function<double(double)> reference;
  float lo;  // inputs are drawn from [lo, hi), away from the function's kinks and poles
  float hi;
};

double phi(double v) { return 0.5 * (1.0 + std::erf(v / std::sqrt(2.0))); }

const std::vector<Unary>& unary_ops() {
  static const std::vector<Unary> ops_list = {
      {"exp", [](Tape& t, Var x) { return ops::exp(t, x); }, [](double v) { return std::exp(v); },
       -2.0f, 2.0f},
      {"log", [](Tape& t, Var x) { return ops::log(t, x); }, [](double v) { return std::log(v); },
       0.5f, 3.0f},
      {"pow2", [](Tape& t, Var x) { return ops::pow(t, x, 2.0f); }, [](double v) { return v * v; },
       -2.0f, 2.0f},
      {"pow1.5", [](Tape& t, Var x) { return ops::pow(t, x, 1.5f); },
       [](double v) { return std::pow(v, 1.5); }, 0.5f, 3.0f},
      {"pow-1", [](Tape& t, Var x) { return ops::pow(t, x, -1.0f); },
       [](double v) { return 1.0 / v; }, 0.5f, 3.0f},
      {"sqrt", [](Tape& t, Var x) { return ops::sqrt(t, x); },
       [](double v) { return std::sqrt(v); }, 0.5f, 3.0f},
      {"sigmoid", [](Tape& t, Var x) { return ops::sigmoid(t, x); },
       [](double v) { return 1.0 / (1.0 + std::exp(-v)); }, -4.0f, 4.0f},
      {"tanh", [](Tape& t, Var x) { return ops::tanh(t, x); },
       [](double v) { return std::tanh(v); }, -3.0f, 3.0f},
      {"gelu", [](Tape& t, Var x) { return ops::gelu(t, x); }, [](double v) { return v * phi(v); },
       -3.0f, 3.0f},
      {"elu", [](Tape& t, Var x) { return ops::elu(t, x, 0.7f); },
       [](double v) { return v > 0 ? v : 0.7 * (std::exp(v) - 1.0); }, -3.0f, 3.0f},
  };
  return ops_list;
}

// Values from [lo, hi) with none closer than `gap` to `kink` (finite differences straddle no kink).
Tensor away_from(float kink, float gap, Index rows, Index cols, std::uint64_t seed) {
  Tensor t = support::random_tensor(rows, cols, seed, -2.0f, 2.0f);
  for (Index e = 0; e < t.size(); ++e) {
    float& v = t.data()[e];
    if (std::fabs(v - kink) < gap) v = v < kink ? kink - gap : kink + gap;
  }
  return t;
}

Tensor apply(const std::function<Var(Tape&, Var)>& op, const Tensor& x) {
  Tape tape(Tape::Mode::Inference);
  return op(tape, tape.constant(x)).value();
}

TEST(Activation, MatchesTheCLibrary) {
  for (const Unary& u : unary_ops()) {
    // 70 000 elements: more than one fixed chunk, so chunk tails are covered too.
    const Tensor x = support::random_tensor(350, 200, 1, u.lo, u.hi);
    const Tensor expected = test::make_tensor(350, 200, [&](Index i, Index j) {
      return static_cast<float>(u.reference(test::at(x, i, j)));
    });
    EXPECT_TRUE(support::all_close(apply(u.op, x), expected, 1e-5f, 2e-6f)) << u.name;
  }
}

TEST(Activation, Gradients) {
  for (const Unary& u : unary_ops()) {
    const Tensor x = u.name == "elu" ? away_from(0.0f, 0.05f, 3, 4, 2)
                                     : support::random_tensor(3, 4, 2, u.lo, u.hi);
    EXPECT_TRUE(support::gradient_matches(
        [&](Tape& t, const std::vector<Var>& v) { return u.op(t, v[0]); }, {x}))
        << u.name;
  }
}

TEST(Activation, PiecewiseLinearOnesMatchHandValues) {
  const Tensor x = Tensor::from_rows({{-2, -0.5f, 0.5f, 3}});
  EXPECT_TRUE(support::all_close(apply([](Tape& t, Var v) { return ops::relu(t, v); }, x),
                                 Tensor::from_rows({{0, 0, 0.5f, 3}})));
  EXPECT_TRUE(
      support::all_close(apply([](Tape& t, Var v) { return ops::leaky_relu(t, v, 0.1f); }, x),
                         Tensor::from_rows({{-0.2f, -0.05f, 0.5f, 3}})));
  EXPECT_TRUE(
      support::all_close(apply([](Tape& t, Var v) { return ops::clamp(t, v, -1.0f, 1.0f); }, x),
                         Tensor::from_rows({{-1, -0.5f, 0.5f, 1}})));
}

TEST(Activation, PiecewiseLinearGradientsAwayFromKinks) {
  const Tensor x = away_from(0.0f, 0.05f, 4, 5, 3);
  EXPECT_TRUE(support::gradient_matches(
      [](Tape& t, const std::vector<Var>& v) { return ops::relu(t, v[0]); }, {x}));
  EXPECT_TRUE(support::gradient_matches(
      [](Tape& t, const std::vector<Var>& v) { return ops::leaky_relu(t, v[0], 0.2f); }, {x}));
  // clamp to [-0.5, 0.5]: keep inputs away from both bounds.
  Tensor y = away_from(0.5f, 0.05f, 4, 5, 4);
  for (Index e = 0; e < y.size(); ++e)
    if (std::fabs(y.data()[e] + 0.5f) < 0.05f) y.data()[e] = -0.6f;
  EXPECT_TRUE(support::gradient_matches(
      [](Tape& t, const std::vector<Var>& v) { return ops::clamp(t, v[0], -0.5f, 0.5f); }, {y}));
}

TEST(Activation, ClampGradientIsZeroOutsideTheBounds) {
  Parameter p(Tensor::from_rows({{-2, 0, 2}}));
  Tape tape;
  const Var y = ops::clamp(tape, tape.param(p), -1.0f, 1.0f);
  tape.backward(tape.record(Tensor::scalar(0.0f), {y}, [](Tape::Step& s) {
    for (Index e = 0; e < 3; ++e) s.grad_in[0]->data()[e] += 1.0f;
  }));
  EXPECT_TRUE(support::all_close(p.grad, Tensor::from_rows({{0, 1, 0}})));
}

TEST(Activation, ClampRejectsBoundsOutOfOrder) {
  Tape tape;
  const Var x = tape.constant(Tensor::zeros(2, 2));
  EXPECT_TRUE(
      test::throws_naming<InvalidArgument>([&] { ops::clamp(tape, x, 1.0f, -1.0f); }, "clamp"));
  EXPECT_TRUE(
      test::throws_naming<InvalidArgument>([&] { ops::clamp(tape, x, NAN, 1.0f); }, "clamp"));
}

TEST(Activation, EmptyInputGivesEmptyOutput) {
  Tape tape;
  EXPECT_EQ(ops::exp(tape, tape.constant(Tensor::zeros(0, 3))).value().rows(), 0);
}

}  // namespace
}  // namespace moegnn
