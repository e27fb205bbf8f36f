// SPDX-License-Identifier: Apache-2.0
// Gradient clipping: the norm of a 3-4-12 triangle by hand, no-op below the bound, NaN/inf
// gradients rejected without changes, value clamping, bad arguments, thread-count bit identity.
#include <cmath>
#include <cstring>
#include <limits>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/optim/clip.h"
#include "core/parallel.h"
#include "tests/support/gradcheck.h"

namespace moegnn::optim {
namespace {

TEST(ClipGradNorm, ScalesToMaxNorm) {
  Parameter a(Tensor::zeros(1, 2));
  Parameter b(Tensor::zeros(1, 1));
  a.grad = Tensor::from_rows({{3.0f, 4.0f}});
  b.grad = Tensor::from_rows({{12.0f}});
  // ‖(3, 4, 12)‖ = 13; scale 6.5 / (13 + 1e-6) ≈ 0.5.
  EXPECT_FLOAT_EQ(clip_grad_norm({&a, &b}, 6.5f), 13.0f);
  EXPECT_TRUE(support::all_close(a.grad, Tensor::from_rows({{1.5f, 2.0f}}), 1e-6f, 1e-6f));
  EXPECT_TRUE(support::all_close(b.grad, Tensor::from_rows({{6.0f}}), 1e-6f, 1e-6f));
}

TEST(ClipGradNorm, LeavesSmallGradientsAlone) {
  Parameter a(Tensor::zeros(1, 2));
  a.grad = Tensor::from_rows({{0.3f, -0.4f}});
  EXPECT_NEAR(clip_grad_norm({&a}, 1.0f), 0.5f, 1e-7f);
  EXPECT_EQ(a.grad.data()[0], 0.3f);
  EXPECT_EQ(a.grad.data()[1], -0.4f);
}

TEST(ClipGradNorm, RejectsNonFiniteGradientsWithoutChanges) {
  Parameter a(Tensor::zeros(1, 3));
  for (float bad : {std::nanf(""), std::numeric_limits<float>::infinity()}) {
    a.grad = Tensor::from_rows({{100.0f, bad, 1.0f}});
    try {
      clip_grad_norm({&a}, 1.0f);
      FAIL() << "no exception for " << bad;
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find("gradient norm"), std::string::npos) << e.what();
    }
    EXPECT_EQ(a.grad.data()[0], 100.0f);
  }
}

TEST(ClipGradNorm, RejectsBadArguments) {
  Parameter a(Tensor::zeros(1, 1));
  EXPECT_THROW(clip_grad_norm({&a}, -1.0f), InvalidArgument);
  EXPECT_THROW(clip_grad_norm({&a}, std::nanf("")), InvalidArgument);
  EXPECT_THROW(clip_grad_norm({&a, nullptr}, 1.0f), InvalidArgument);
  EXPECT_THROW(clip_grad_norm({&a, &a}, 1.0f), InvalidArgument);
  EXPECT_FLOAT_EQ(clip_grad_norm({}, 1.0f), 0.0f);
}

TEST(ClipGradNorm, SameBitsOnOneAndTwoThreadsAndMatchesDoubleSum) {
  const Tensor grad = support::random_tensor(300, 1000, 5, -2.0f, 2.0f);
  double expected = 0.0;
  for (Index i = 0; i < grad.size(); ++i)
    expected += static_cast<double>(grad.data()[i]) * grad.data()[i];
  expected = std::sqrt(expected);
  auto run = [&](int threads, float* norm) {
    set_num_threads(threads);
    Parameter p(Tensor::zeros(300, 1000));
    p.grad = grad.clone();
    *norm = clip_grad_norm({&p}, 1.0f);
    set_num_threads(0);
    return p.grad;
  };
  float norm1 = 0.0f;
  float norm2 = 0.0f;
  const Tensor one = run(1, &norm1);
  const Tensor two = run(2, &norm2);
  EXPECT_EQ(std::memcmp(&norm1, &norm2, sizeof(float)), 0);
  EXPECT_EQ(std::memcmp(one.data(), two.data(), sizeof(float) * one.size()), 0);
  EXPECT_NEAR(norm1, expected, 1e-6 * expected);
}

TEST(ClipGradValue, ClampsAndKeepsNan) {
  Parameter a(Tensor::zeros(1, 4));
  a.grad = Tensor::from_rows({{-3.0f, 0.5f, 2.0f, std::nanf("")}});
  clip_grad_value({&a}, 1.0f);
  EXPECT_EQ(a.grad.data()[0], -1.0f);
  EXPECT_EQ(a.grad.data()[1], 0.5f);
  EXPECT_EQ(a.grad.data()[2], 1.0f);
  EXPECT_TRUE(std::isnan(a.grad.data()[3]));
  EXPECT_THROW(clip_grad_value({&a}, -1.0f), InvalidArgument);
  EXPECT_THROW(clip_grad_value({&a}, std::nanf("")), InvalidArgument);
  EXPECT_THROW(clip_grad_value({nullptr}, 1.0f), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::optim
