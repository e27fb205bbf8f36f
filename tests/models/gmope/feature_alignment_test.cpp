// SPDX-License-Identifier: Apache-2.0
// models/gmope/feature_alignment.h against Eigen's exact SVD on small matrices: singular values,
// subspaces and the aligned features (up to the fixed signs), determinism for a seed, padding.
#include <Eigen/SVD>
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/rng.h"
#include "models/gmope/feature_alignment.h"

namespace moegnn::models {
namespace {

// N × F with singular values decaying geometrically (a well-separated spectrum, as real features
// have), from `seed`.
Matrix decaying(Index n, Index f, std::uint64_t seed) {
  Rng rng(seed);
  Matrix a(n, f), b(f, f);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < f; ++j) a(i, j) = rng.normal();
  for (Index i = 0; i < f; ++i)
    for (Index j = 0; j < f; ++j) b(i, j) = rng.normal();
  Eigen::HouseholderQR<Matrix> qa(a), qb(b);
  const Matrix u = qa.householderQ() * Matrix::Identity(n, f);
  const Matrix v = qb.householderQ() * Matrix::Identity(f, f);
  Eigen::VectorXf s(f);
  for (Index i = 0; i < f; ++i) s(i) = 10.0f * std::pow(0.7f, static_cast<float>(i));
  return u * s.asDiagonal() * v.transpose();
}

TEST(RandomizedSvd, MatchesEigensExactSvd) {
  const Matrix x = decaying(60, 20, 3);
  Eigen::JacobiSVD<Eigen::MatrixXf> exact(x, Eigen::ComputeThinU | Eigen::ComputeThinV);
  const TruncatedSvd svd = randomized_svd(x, 6, {.seed = 7});
  for (Index i = 0; i < 6; ++i)
    EXPECT_NEAR(svd.s(i), exact.singularValues()(i), 1e-3f * exact.singularValues()(0)) << i;
  // Same right singular vectors up to sign: |<v_i, v_exact_i>| ≈ 1.
  for (Index i = 0; i < 6; ++i)
    EXPECT_NEAR(std::abs(svd.v.col(i).dot(exact.matrixV().col(i))), 1.0f, 1e-3f) << i;
  // Orthonormal columns.
  EXPECT_TRUE((svd.u.transpose() * svd.u).isApprox(Matrix::Identity(6, 6), 1e-4f));
}

TEST(SvdAlign, EqualsUSigmaOfTheExactSvdUpToSign) {
  const Matrix x = decaying(40, 12, 5);
  const Tensor aligned = svd_align(Tensor::from(x), 4);
  ASSERT_EQ(aligned.rows(), 40);
  ASSERT_EQ(aligned.cols(), 4);
  Eigen::JacobiSVD<Eigen::MatrixXf> exact(x, Eigen::ComputeThinU | Eigen::ComputeThinV);
  for (Index c = 0; c < 4; ++c) {
    const Eigen::VectorXf expected = exact.matrixU().col(c) * exact.singularValues()(c);
    const Eigen::VectorXf got = aligned.host().col(c);
    const float sign = got.dot(expected) >= 0 ? 1.0f : -1.0f;
    EXPECT_LT((sign * got - expected).norm(), 1e-3f * expected.norm()) << "column " << c;
  }
}

TEST(SvdAlign, IsDeterministicForASeedAndPadsNarrowFeatures) {
  const Tensor x = Tensor::from(decaying(30, 8, 9));
  const Tensor a = svd_align(x, 5, {.seed = 3});
  const Tensor b = svd_align(x, 5, {.seed = 3});
  EXPECT_EQ(a.host(), b.host());
  // Signs are fixed, so another seed gives the same features up to rounding.
  EXPECT_TRUE(svd_align(x, 5, {.seed = 4}).host().isApprox(a.host(), 1e-3f));
  // F = 8 < d0 = 12: eight columns of U Σ (all of X's energy), then four zero columns.
  const Tensor wide = svd_align(x, 12);
  EXPECT_EQ(wide.cols(), 12);
  EXPECT_TRUE(wide.host().rightCols(4).isZero());
  EXPECT_NEAR(wide.host().squaredNorm(), x.host().squaredNorm(), 1e-3f * x.host().squaredNorm());
  EXPECT_THROW(svd_align(x, 0), InvalidArgument);
  EXPECT_THROW(randomized_svd(x.host(), 9), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::models
