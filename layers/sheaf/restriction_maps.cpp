// SPDX-License-Identifier: Apache-2.0
// Orthogonal restriction maps with hand-written per-edge backward rules (d is small, so each edge's
// map is built and differentiated in double precision with Eigen). Householder: the reverse pass
// walks the product of reflections; matrix exponential: the adjoint of the Fréchet derivative,
// read off exp([[Aᵀ, G], [0, Aᵀ]]) (Higham, "Functions of Matrices", §10.6); Cayley:
// dQ = P⁻¹ dA (I + Q) / 2 with P = I − A/2.
#include "layers/sheaf/restriction_maps.h"

#include <Eigen/LU>
#include <cmath>
#include <vector>

#include "core/error.h"
#include "core/parallel.h"
#include "layers/sheaf/block_matrix.h"

namespace moegnn::layers::sheaf {
namespace {

// Maps are at most 16 × 16 (map_parameters checks), so per-edge temporaries stay on the stack; the
// matrix-exponential backward works on a 2d × 2d matrix.
constexpr int kMaxD = 16;
using MatD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, 2 * kMaxD, 2 * kMaxD>;
using VecD = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, 2 * kMaxD, 1>;

// exp(a) by scaling and squaring with a degree-18 Taylor series (entries here are O(1)).
MatD expm(const MatD& a) {
  const double norm = a.cwiseAbs().rowwise().sum().maxCoeff();
  int squarings = 0;
  double scale = 1.0;
  while (norm * scale > 0.25) { scale *= 0.5; ++squarings; }
  const MatD x = a * scale;
  MatD term = MatD::Identity(a.rows(), a.cols());
  MatD sum = term;
  for (int n = 1; n <= 18; ++n) {
    term = term * x / static_cast<double>(n);
    sum += term;
  }
  for (int i = 0; i < squarings; ++i) sum = sum * sum;
  return sum;
}

// A = T − Tᵀ from the lower triangle (with diagonal) in row-major order.
MatD skew_from(const float* theta, Index d) {
  MatD t = MatD::Zero(d, d);
  Index p = 0;
  for (Index i = 0; i < d; ++i)
    for (Index j = 0; j <= i; ++j) t(i, j) = theta[p++];
  return t - t.transpose();
}
// The gradient of θ given the gradient of A = T − Tᵀ.
void skew_backward(const MatD& ga, Index d, float* gtheta) {
  Index p = 0;
  for (Index i = 0; i < d; ++i)
    for (Index j = 0; j <= i; ++j) gtheta[p++] += static_cast<float>(ga(i, j) - ga(j, i));
}

// Householder vectors: column j of V = e_j + the θ below the diagonal (row-major over i > j).
MatD householder_vectors(const float* theta, Index d) {
  MatD v = MatD::Identity(d, d);
  Index p = 0;
  for (Index i = 1; i < d; ++i)
    for (Index j = 0; j < i; ++j) v(i, j) = theta[p++];
  return v;
}

MatD householder_q(const MatD& v, Index d) {
  MatD q = MatD::Identity(d, d);
  for (Index j = 0; j < d; ++j) {
    const VecD u = v.col(j).normalized();
    q = q - 2.0 * (q * u) * u.transpose();  // q · H_j
  }
  return q;
}

void householder_backward(const float* theta, const MatD& g, Index d, float* gtheta) {
  const MatD v = householder_vectors(theta, d);
  std::vector<MatD, Eigen::aligned_allocator<MatD>> prefix(static_cast<std::size_t>(d + 1));  // prefix[j] = H_1 ⋯ H_j
  std::vector<VecD, Eigen::aligned_allocator<VecD>> us(static_cast<std::size_t>(d));
  prefix[0] = MatD::Identity(d, d);
  for (Index j = 0; j < d; ++j) {
    us[j] = v.col(j).normalized();
    prefix[j + 1] = prefix[j] - 2.0 * (prefix[j] * us[j]) * us[j].transpose();
  }
  MatD suffix = MatD::Identity(d, d);  // H_{j+1} ⋯ H_d
  MatD gv = MatD::Zero(d, d);
  for (Index j = d - 1; j >= 0; --j) {
    const MatD gh = prefix[j].transpose() * g * suffix.transpose();  // dL/dH_j
    const VecD gu = -2.0 * (gh + gh.transpose()) * us[j];
    const double len = v.col(j).norm();
    gv.col(j) = (gu - us[j] * us[j].dot(gu)) / len;
    suffix = (MatD::Identity(d, d) - 2.0 * us[j] * us[j].transpose()) * suffix;
  }
  Index p = 0;
  for (Index i = 1; i < d; ++i)
    for (Index j = 0; j < i; ++j) gtheta[p++] += static_cast<float>(gv(i, j));
}

MatD orthogonal_forward(MapFamily family, const float* theta, Index d) {
  if (family == MapFamily::Householder) return householder_q(householder_vectors(theta, d), d);
  const MatD a = skew_from(theta, d);
  if (family == MapFamily::MatrixExp) return expm(a);
  const MatD eye = MatD::Identity(d, d);
  return (eye - 0.5 * a).partialPivLu().solve(eye + 0.5 * a);
}

void orthogonal_backward(MapFamily family, const float* theta, const MatD& g, Index d,
                         float* gtheta) {
  if (family == MapFamily::Householder) return householder_backward(theta, g, d, gtheta);
  const MatD a = skew_from(theta, d);
  if (family == MapFamily::MatrixExp) {
    MatD big = MatD::Zero(2 * d, 2 * d);
    big.topLeftCorner(d, d) = a.transpose();
    big.bottomRightCorner(d, d) = a.transpose();
    big.topRightCorner(d, d) = g;
    return skew_backward(expm(big).topRightCorner(d, d), d, gtheta);
  }
  const MatD eye = MatD::Identity(d, d);
  const Eigen::PartialPivLU<MatD> p(eye - 0.5 * a);
  const MatD q = p.solve(eye + 0.5 * a);
  // dQ = P⁻¹ dA (I + Q) / 2  ->  dL/dA = P⁻ᵀ G (I + Q)ᵀ / 2.
  const MatD ga = 0.5 * (eye - 0.5 * a).transpose().partialPivLu().solve(g) * (eye + q).transpose();
  skew_backward(ga, d, gtheta);
}

}  // namespace

std::string_view map_family_name(MapFamily family) {
  switch (family) {
  case MapFamily::Diagonal: return "diagonal";
  case MapFamily::General: return "general";
  case MapFamily::Householder: return "householder";
  case MapFamily::MatrixExp: return "matrix-exp";
  case MapFamily::Cayley: return "cayley";
  }
  return "?";
}

bool is_orthogonal(MapFamily family) {
  return family == MapFamily::Householder || family == MapFamily::MatrixExp ||
         family == MapFamily::Cayley;
}

Index map_parameters(MapFamily family, Index d) {
  MOEGNN_CHECK(d >= 1 && d <= kMaxD, "d: ", d, " vs 1 .. ", kMaxD, " (the stalk dimension)");
  MOEGNN_CHECK(!is_orthogonal(family) || d >= 2, "d: ", d, " vs >= 2 for ",
               map_family_name(family), " maps; O(1) has no parameters, use diagonal maps");
  switch (family) {
  case MapFamily::Diagonal: return d;
  case MapFamily::General: return d * d;
  case MapFamily::Householder: return d * (d - 1) / 2;
  case MapFamily::MatrixExp:
  case MapFamily::Cayley: return d * (d + 1) / 2;
  }
  return 0;
}

Var restriction_maps(Tape& tape, Var params, MapFamily family, Index d) {
  const Index p = map_parameters(family, d);
  MOEGNN_CHECK(params.cols() == p, "params: ", params.value().shape_string(), " vs m × ", p, " (",
               map_family_name(family), " maps with d = ", d, ")");
  if (!is_orthogonal(family)) return params;  // the numbers are the map (diagonal, or d × d)
  MOEGNN_CHECK_AS(Unsupported, "restriction_maps", params.value().device() == Device::Cpu,
                  "no CUDA kernel yet");
  const Tensor& theta = params.value();
  const Index m = theta.rows();
  Tensor out = Tensor::empty(m, d * d);
  parallel_for(0, m, [&](Index k) {
    const MatD q = orthogonal_forward(family, theta.data() + k * p, d);
    for (Index i = 0; i < d; ++i)
      for (Index j = 0; j < d; ++j) out.data()[k * d * d + i * d + j] = static_cast<float>(q(i, j));
  }, 128);
  return tape.record(std::move(out), {params}, [family, d, p, m](Tape::Step& s) {
    const Tensor& theta = *s.in[0];
    parallel_for(0, m, [&](Index k) {
      MatD g(d, d);
      for (Index i = 0; i < d; ++i)
        for (Index j = 0; j < d; ++j) g(i, j) = s.grad_out.data()[k * d * d + i * d + j];
      orthogonal_backward(family, theta.data() + k * p, g, d, s.grad_in[0]->data() + k * p);
    }, 128);
  });
}

}  // namespace moegnn::layers::sheaf
