// SPDX-License-Identifier: Apache-2.0
// Restriction maps, batched block ops and the learners: orthogonal families give QᵀQ = I to 1e-5
// (Householder with det (−1)^d), every op's gradient matches central differences, bad widths and
// d throw naming the argument, edge weights are symmetric.
#include "layers/sheaf/restriction_maps.h"

#include <Eigen/LU>
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "graph/generators.h"
#include "layers/sheaf/block_matrix.h"
#include "layers/sheaf/edge_weight_learner.h"
#include "layers/sheaf/sheaf_learner.h"
#include "tests/support/gradcheck.h"

namespace moegnn::layers::sheaf {
namespace {

Var ops_add_eye(Tape& tape, Var m, Index d) { return ops::add(tape, m, tape.constant(block_eye(1, d))); }

constexpr MapFamily kOrthogonal[] = {MapFamily::Householder, MapFamily::MatrixExp, MapFamily::Cayley};

Eigen::MatrixXf block_of(const Tensor& t, Index k, Index d) {
  Eigen::MatrixXf m(d, d);
  for (Index i = 0; i < d; ++i)
    for (Index j = 0; j < d; ++j) m(i, j) = t.data()[k * d * d + i * d + j];
  return m;
}

TEST(RestrictionMaps, OrthogonalFamiliesAreOrthogonal) {
  for (const MapFamily family : kOrthogonal)
    for (Index d = 2; d <= 5; ++d) {
      const Index p = map_parameters(family, d);
      Tape tape(Tape::Mode::Inference);
      // tanh-range parameters, as the learner emits, and some larger ones.
      const Tensor theta = support::random_tensor(40, p, 7 + d, -2.0f, 2.0f);
      const Tensor q = restriction_maps(tape, tape.constant(theta), family, d).value();
      ASSERT_EQ(q.cols(), d * d);
      for (Index k = 0; k < 40; ++k) {
        const Eigen::MatrixXf m = block_of(q, k, d);
        EXPECT_LT((m.transpose() * m - Eigen::MatrixXf::Identity(d, d)).cwiseAbs().maxCoeff(), 1e-5f)
            << map_family_name(family) << " d=" << d << " edge " << k;
        if (family == MapFamily::Householder)
          EXPECT_NEAR(m.determinant(), d % 2 == 0 ? 1.0f : -1.0f, 1e-4f);
        else
          EXPECT_NEAR(m.determinant(), 1.0f, 1e-4f);  // exp and Cayley of skew matrices: SO(d)
      }
    }
}

TEST(RestrictionMaps, ZeroParametersGiveTheExpectedMap) {
  Tape tape(Tape::Mode::Inference);
  const Tensor zero = Tensor::zeros(1, 6);
  // exp(0) = Cayley(0) = I; Householder of e_1..e_d: diag(−1, …, −1).
  EXPECT_TRUE(support::all_close(
      restriction_maps(tape, tape.constant(Tensor::zeros(1, 10)), MapFamily::MatrixExp, 4).value(),
      block_eye(1, 4)));
  EXPECT_TRUE(support::all_close(
      restriction_maps(tape, tape.constant(Tensor::zeros(1, 10)), MapFamily::Cayley, 4).value(),
      block_eye(1, 4)));
  const Tensor h = restriction_maps(tape, tape.constant(Tensor::zeros(1, 6)), MapFamily::Householder, 4).value();
  Tensor minus = block_eye(1, 4);
  for (Index i = 0; i < 16; ++i) minus.data()[i] = -minus.data()[i];
  EXPECT_TRUE(support::all_close(h, minus));
  (void)zero;
}

TEST(RestrictionMaps, GradientsMatchFiniteDifferences) {
  for (const MapFamily family : kOrthogonal)
    for (const Index d : {2, 3, 4}) {
      const Index p = map_parameters(family, d);
      EXPECT_TRUE(support::gradient_matches(
          [&](Tape& tape, const std::vector<Var>& in) { return restriction_maps(tape, in[0], family, d); },
          {support::random_tensor(5, p, 30 + d)}, 1e-2f, 2e-3f, 2e-2f))
          << map_family_name(family) << " d=" << d;
    }
}

TEST(RestrictionMaps, RejectsBadArguments) {
  EXPECT_THROW(map_parameters(MapFamily::Diagonal, 0), InvalidArgument);
  EXPECT_THROW(map_parameters(MapFamily::Householder, 1), InvalidArgument);
  Tape tape;
  try {
    restriction_maps(tape, tape.constant(Tensor::zeros(3, 4)), MapFamily::Householder, 3);
    ADD_FAILURE() << "no throw";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("params"), std::string::npos) << e.what();
  }
}

TEST(BlockMatrix, GradientsMatchFiniteDifferences) {
  const Index d = 3;
  for (const bool ta : {false, true})
    for (const bool tb : {false, true})
      EXPECT_TRUE(support::gradient_matches(
          [&](Tape& tape, const std::vector<Var>& in) { return block_matmul(tape, in[0], in[1], d, ta, tb); },
          {support::random_tensor(4, 9, 1), support::random_tensor(4, 9, 2)}))
          << ta << tb;
  EXPECT_TRUE(support::gradient_matches(
      [&](Tape& tape, const std::vector<Var>& in) { return block_transpose(tape, in[0], d); },
      {support::random_tensor(4, 9, 3)}));
  // (X Xᵀ + I)^(−1/2): a symmetric positive definite input whatever X is.
  for (const float power : {-0.5f, 0.5f})
    EXPECT_TRUE(support::gradient_matches(
        [&](Tape& tape, const std::vector<Var>& in) {
          Var m = block_matmul(tape, in[0], in[0], d, false, true);
          m = ops_add_eye(tape, m, d);
          return block_sym_pow(tape, m, d, power);
        },
        {support::random_tensor(4, 9, 4)}, 1e-2f, 2e-3f, 3e-2f))
        << power;
}

TEST(BlockMatrix, SymPowInvertsSquareAndHandlesRepeatedEigenvalues) {
  Tape tape(Tape::Mode::Inference);
  Tensor m = block_eye(2, 3);
  for (Index i = 0; i < 9; ++i) m.data()[i] *= 4.0f;  // 4·I: a triple eigenvalue
  const Tensor r = block_sym_pow(tape, tape.constant(m), 3, -0.5f).value();
  EXPECT_NEAR(r.data()[0], 0.5f, 1e-6f);
  EXPECT_NEAR(r.data()[9], 1.0f, 1e-6f);
  EXPECT_NEAR(r.data()[1], 0.0f, 1e-6f);
  // Gradient at a repeated eigenvalue is finite and matches differences.
  EXPECT_TRUE(support::gradient_matches(
      [&](Tape& t, const std::vector<Var>& in) {
        return block_sym_pow(t, block_matmul(t, in[0], in[0], 2, false, true), 2, -0.5f);
      },
      {Tensor::from_rows({{1.5f, 0.0f, 0.0f, 1.5f}})}, 1e-3f, 2e-3f, 3e-2f));
}

TEST(SheafLearner, GradientsAndSymmetricEdgeWeights) {
  const SheafPattern p = make_sheaf_pattern(graph::uniform_random_graph(7, 10, true, false, 2));
  Rng rng(3);
  SheafLearner learner({.in_channels = 4, .out_channels = 3}, rng);
  EdgeWeightLearner weights(4, rng);
  const Tensor x = support::random_tensor(7, 4, 8);
  EXPECT_TRUE(support::gradient_matches(
      [&](Tape& tape, const std::vector<Var>& in) { return learner.forward(tape, p, in[0]); }, {x}));
  EXPECT_TRUE(support::gradient_matches(
      [&](Tape& tape, const std::vector<Var>& in) { return weights.forward(tape, p, in[0]); }, {x}));
  Tape tape(Tape::Mode::Inference);
  const Tensor w = weights.forward(tape, p, tape.constant(x)).value();
  ASSERT_EQ(w.rows(), p.edge_src.size());
  for (Index k = 0; k < w.rows(); ++k) {
    EXPECT_EQ(w.data()[k], w.data()[p.edge_rev.data()[k]]);
    EXPECT_GT(w.data()[k], 0.0f);
    EXPECT_LT(w.data()[k], 1.0f);
  }
  EXPECT_THROW(learner.forward(tape, p, tape.constant(Tensor::zeros(7, 5))), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::layers::sheaf
