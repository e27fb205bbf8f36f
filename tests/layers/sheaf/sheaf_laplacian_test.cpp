// SPDX-License-Identifier: Apache-2.0
// Sheaf Laplacians: on random graphs each normalised Laplacian is symmetric PSD with spectrum in
// [0, 2] and equals D̂^-1/2 δᵀδ D̂^-1/2 built independently from the coboundary δ; with d = 1 and
// unit maps Diag's Laplacian is I − Â of GCN (hand-computed on a path); the pattern rejects
// graphs with loops or missing reverses; gradients match central differences.
#include "layers/sheaf/sheaf_laplacian.h"

#include <Eigen/Eigenvalues>
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "graph/builder.h"
#include "graph/generators.h"
#include "layers/sheaf/block_matrix.h"
#include "layers/sheaf/restriction_maps.h"
#include "tests/support/gradcheck.h"

namespace moegnn::layers::sheaf {
namespace {

using MatD = Eigen::MatrixXd;

SheafPattern random_pattern(std::uint64_t seed) {
  return make_sheaf_pattern(graph::uniform_random_graph(12, 25, true, false, seed));
}

MatD to_double(const Tensor& t) { return t.host().cast<double>(); }

// d × d map k of a 2E × d (diagonal) or 2E × d² tensor.
MatD map_of(const Tensor& maps, Index k, Index d) {
  MatD m = MatD::Zero(d, d);
  if (maps.cols() == d && d > 1) {
    for (Index i = 0; i < d; ++i) m(i, i) = maps.data()[k * d + i];
    return m;
  }
  for (Index i = 0; i < d; ++i)
    for (Index j = 0; j < d; ++j) m(i, j) = maps.data()[k * d * d + i * d + j];
  return m;
}

// D̂^-1/2 δᵀδ D̂^-1/2 from the coboundary: one row block per undirected edge,
// (δx)_e = F_{v◁e} x_v − F_{u◁e} x_u, with F scaled by w_e when weights are given.
MatD reference(const SheafPattern& p, const Tensor& maps, const Tensor* w, Index d) {
  const Index n = p.num_nodes;
  const Index e = p.half.size();
  MatD delta = MatD::Zero(e * d, n * d);
  for (Index h = 0; h < e; ++h) {
    const Index k = p.half.data()[h];
    const Index r = p.half_rev.data()[h];
    const double wk = w ? w->data()[k] : 1.0;
    delta.block(h * d, p.half_dst.data()[h] * d, d, d) = wk * map_of(maps, r, d);
    delta.block(h * d, p.half_src.data()[h] * d, d, d) = -wk * map_of(maps, k, d);
  }
  const MatD l = delta.transpose() * delta;
  MatD s = MatD::Zero(n * d, n * d);
  for (Index u = 0; u < n; ++u) {
    const MatD dhat = l.block(u * d, u * d, d, d) + MatD::Identity(d, d);
    Eigen::SelfAdjointEigenSolver<MatD> eig(dhat);
    s.block(u * d, u * d, d, d) = eig.operatorInverseSqrt();
  }
  return s * l * s;
}

void expect_normalised(const MatD& a, const char* what) {
  EXPECT_LT((a - a.transpose()).cwiseAbs().maxCoeff(), 1e-5) << what;
  const Eigen::VectorXd ev = Eigen::SelfAdjointEigenSolver<MatD>(0.5 * (a + a.transpose())).eigenvalues();
  EXPECT_GT(ev.minCoeff(), -1e-5) << what;
  EXPECT_LT(ev.maxCoeff(), 2.0 + 1e-5) << what;
}

TEST(SheafLaplacian, NormalisedLaplaciansAreSymmetricPsdWithSpectrumInZeroTwo) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const SheafPattern p = random_pattern(seed);
    const Index e2 = p.edge_src.size();
    const Index d = 3;
    Tape tape(Tape::Mode::Inference);
    const Tensor diag = support::random_tensor(e2, d, seed + 10);
    const Tensor gen = support::random_tensor(e2, d * d, seed + 20);
    const Tensor q = restriction_maps(tape, tape.constant(support::random_tensor(e2, 3, seed + 30)),
                                      MapFamily::Householder, d).value();
    Tensor w = support::random_tensor(e2, 1, seed + 40, 0.1f, 1.0f);
    for (Index k = 0; k < e2; ++k) w.data()[k] = w.data()[p.edge_rev.data()[k]];  // w_e symmetric
    for (const FixedCoordinates fixed : {FixedCoordinates{}, FixedCoordinates{true, true}}) {
      const Index f = d + fixed.count();
      const Tensor ld = diag_sheaf_laplacian(tape, p, tape.constant(diag), d, fixed).value();
      const Tensor lo = connection_sheaf_laplacian(tape, p, tape.constant(q), tape.constant(w), d, fixed).value();
      const Tensor lg = general_sheaf_laplacian(tape, p, tape.constant(gen), d, fixed).value();
      expect_normalised(to_double(dense_laplacian(p, ld, f)), "diag");
      expect_normalised(to_double(dense_laplacian(p, lo, f)), "orth");
      expect_normalised(to_double(dense_laplacian(p, lg, f)), "general");
      if (fixed.count() != 0) continue;
      EXPECT_LT((to_double(dense_laplacian(p, ld, d)) - reference(p, diag, nullptr, d)).cwiseAbs().maxCoeff(), 1e-5);
      EXPECT_LT((to_double(dense_laplacian(p, lo, d)) - reference(p, q, &w, d)).cwiseAbs().maxCoeff(), 1e-5);
      EXPECT_LT((to_double(dense_laplacian(p, lg, d)) - reference(p, gen, nullptr, d)).cwiseAbs().maxCoeff(), 1e-5);
    }
  }
}

// Path 0 − 1 − 2, d = 1, all maps 1: L = D − A, D̂ = D + I = diag(2, 3, 2), so
// Δ = [[1/2, −1/√6, 0], [−1/√6, 2/3, −1/√6], [0, −1/√6, 1/2]] and I − Δ = D̂^-1/2 (A + I) D̂^-1/2,
// GCN's propagation matrix: the d = 1 step X − ΔX is GCN-like diffusion.
TEST(SheafLaplacian, DiagWithUnitMapsAndDOneIsGcnDiffusion) {
  const graph::Csr path = graph::from_coo(std::vector<std::int32_t>{0, 1}, std::vector<std::int32_t>{1, 2}, {},
                                          {.symmetric = true});
  const SheafPattern p = make_sheaf_pattern(path);
  Tape tape(Tape::Mode::Inference);
  const Tensor values = diag_sheaf_laplacian(tape, p, tape.constant(Tensor::ones(4, 1)), 1).value();
  const MatD delta = to_double(dense_laplacian(p, values, 1));
  const double s = 1.0 / std::sqrt(6.0);
  MatD expected(3, 3);
  expected << 0.5, -s, 0, -s, 2.0 / 3.0, -s, 0, -s, 0.5;
  EXPECT_LT((delta - expected).cwiseAbs().maxCoeff(), 1e-6);
  MatD gcn(3, 3);  // D̂^-1/2 (A + I) D̂^-1/2 by hand
  gcn << 0.5, s, 0, s, 1.0 / 3.0, s, 0, s, 0.5;
  EXPECT_LT((MatD::Identity(3, 3) - delta - gcn).cwiseAbs().maxCoeff(), 1e-6);
}

TEST(SheafLaplacian, GradientsMatchFiniteDifferences) {
  const SheafPattern p = make_sheaf_pattern(graph::uniform_random_graph(6, 8, true, false, 9));
  const Index e2 = p.edge_src.size();
  const Index d = 2;
  const FixedCoordinates lp{true, false};
  EXPECT_TRUE(support::gradient_matches(
      [&](Tape& t, const std::vector<Var>& in) { return diag_sheaf_laplacian(t, p, in[0], d, lp); },
      {support::random_tensor(e2, d, 1)}));
  EXPECT_TRUE(support::gradient_matches(
      [&](Tape& t, const std::vector<Var>& in) {
        return connection_sheaf_laplacian(t, p, restriction_maps(t, in[0], MapFamily::Householder, d),
                                          in[1], d, lp);
      },
      {support::random_tensor(e2, 1, 2), support::random_tensor(e2, 1, 3, 0.2f, 1.0f)}));
  EXPECT_TRUE(support::gradient_matches(
      [&](Tape& t, const std::vector<Var>& in) { return general_sheaf_laplacian(t, p, in[0], d); },
      {support::random_tensor(e2, d * d, 4)}, 1e-2f, 2e-3f, 3e-2f));
}

TEST(SheafPattern, MirrorsEdgesAndRejectsLoopsAndOneWayEdges) {
  const SheafPattern p = random_pattern(3);
  for (Index k = 0; k < p.edge_src.size(); ++k) {
    const Index r = p.edge_rev.data()[k];
    EXPECT_EQ(p.edge_src.data()[r], p.edge_dst.data()[k]);
    EXPECT_EQ(p.edge_dst.data()[r], p.edge_src.data()[k]);
  }
  EXPECT_EQ(p.blocks.num_edges(), p.edge_src.size() + p.num_nodes);
  EXPECT_EQ(2 * p.half.size(), p.edge_src.size());
  const graph::Csr loop = graph::from_coo(std::vector<std::int32_t>{0, 1}, std::vector<std::int32_t>{0, 0}, {},
                                          {.num_nodes = 2, .symmetric = true});
  EXPECT_THROW(make_sheaf_pattern(loop), InvalidArgument);
  const graph::Csr one_way = graph::from_coo(std::vector<std::int32_t>{0}, std::vector<std::int32_t>{1}, {},
                                             {.num_nodes = 2});
  EXPECT_THROW(make_sheaf_pattern(one_way), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::layers::sheaf
