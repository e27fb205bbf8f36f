// SPDX-License-Identifier: Apache-2.0
// Randomised truncated SVD (range finder with subspace iteration, QR re-orthonormalisation at
// every step) and the SVD feature alignment built on it.
#include "models/gmope/feature_alignment.h"

#include <algorithm>

#include <Eigen/QR>
#include <Eigen/SVD>

#include "core/error.h"
#include "core/rng.h"

namespace moegnn::models {
namespace {

// Orthonormal basis of the columns of `a` (thin Q of Householder QR).
Matrix orthonormal(const Matrix& a) {
  Eigen::HouseholderQR<Matrix> qr(a);
  return qr.householderQ() * Matrix::Identity(a.rows(), a.cols());
}

}  // namespace

TruncatedSvd randomized_svd(const Matrix& x, Index k, const RandomizedSvdOptions& o) {
  const Index n = x.rows(), f = x.cols();
  MOEGNN_CHECK_AS(InvalidArgument, "randomized_svd", k >= 1 && k <= std::min(n, f), "k is ", k,
                  " vs 1 <= k <= min(rows, cols) = ", std::min(n, f));
  const Index l = std::min(k + std::max<Index>(o.oversampling, 0), std::min(n, f));
  // 1. Gaussian test matrix Ω (F × l), drawn serially so the result does not depend on threads.
  Rng rng(o.seed);
  Matrix omega(f, l);
  for (Index i = 0; i < f; ++i)
    for (Index j = 0; j < l; ++j) omega(i, j) = rng.normal();
  // 2. Range of X: Q = orth(X Ω), refined by subspace iteration Q = orth(X orth(Xᵀ Q)).
  Matrix q = orthonormal(x * omega);
  for (Index it = 0; it < o.power_iterations; ++it) {
    const Matrix w = orthonormal(x.transpose() * q);
    q = orthonormal(x * w);
  }
  // 3. Exact SVD of the small l × F matrix B = Qᵀ X; U = Q Û.
  const Matrix b = q.transpose() * x;
  Eigen::JacobiSVD<Eigen::MatrixXf> svd(b, Eigen::ComputeThinU | Eigen::ComputeThinV);
  TruncatedSvd out;
  out.s = svd.singularValues().head(k);
  out.u = q * svd.matrixU().leftCols(k);
  out.v = svd.matrixV().leftCols(k);
  // 4. Signs: each v column's largest-magnitude entry positive (u follows).
  for (Index c = 0; c < k; ++c) {
    Index at = 0;
    out.v.col(c).cwiseAbs().maxCoeff(&at);
    if (out.v(at, c) < 0) {
      out.v.col(c) *= -1.0f;
      out.u.col(c) *= -1.0f;
    }
  }
  return out;
}

Tensor svd_align(const Tensor& x, Index d0, const RandomizedSvdOptions& options) {
  MOEGNN_CHECK_AS(InvalidArgument, "svd_align", d0 >= 1, "d0 is ", d0, " vs >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, "svd_align", x.rows() > 0 && x.cols() > 0, "x is ",
                  x.shape_string(), " vs a non-empty matrix");
  MOEGNN_CHECK_AS(InvalidArgument, "svd_align", x.device() == Device::Cpu, "x is on ",
                  to_string(x.device()), " vs cpu; move it with .to(Device::Cpu)");
  const Matrix& m = x.host();
  const Index k = std::min({d0, m.rows(), m.cols()});
  const TruncatedSvd svd = randomized_svd(m, k, options);
  Matrix out = Matrix::Zero(m.rows(), d0);
  out.leftCols(k) = svd.u * svd.s.asDiagonal();
  return Tensor::from(out);
}

}  // namespace moegnn::models
