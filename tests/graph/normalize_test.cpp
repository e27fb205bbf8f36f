// SPDX-License-Identifier: Apache-2.0
// Tests of graph/normalize.h: degrees on the diamond, GCN normalisation by hand on the weighted path
// and against a dense D^-1/2 (A + I) D^-1/2 on a random graph, row normalisation, bad inputs.
#include "graph/normalize.h"

#include <gtest/gtest.h>

#include <cmath>

#include "graph/generators.h"
#include "tests/graph/fixtures.h"

namespace moegnn::graph {
namespace {

using fixtures::csr_from_rows;
using fixtures::dense;

std::vector<float> column(const Tensor& t) { return {t.data(), t.data() + t.rows()}; }

TEST(Normalize, DegreesOfTheDiamond) {
  // Diamond rows: 0: {}, 1: {0}, 2: {0}, 3: {1, 2}, 4: {3}; node 0 sends to 1 and 2.
  const Csr g = fixtures::diamond();
  EXPECT_EQ(in_degrees(g).to_vector(), (std::vector<EdgeId>{0, 1, 1, 2, 1}));
  EXPECT_EQ(out_degrees(g).to_vector(), (std::vector<EdgeId>{2, 1, 1, 1, 0}));
  EXPECT_EQ(column(weighted_in_degrees(g)), (std::vector<float>{0, 1, 1, 2, 1}));
  EXPECT_EQ(column(weighted_out_degrees(g)), (std::vector<float>{2, 1, 1, 1, 0}));
}

TEST(Normalize, WeightedDegreesSumValues) {
  // weighted_path: 0 ─1─ 1 ─2─ 2 ─4─ 3 (both directions stored)
  const Csr g = fixtures::weighted_path();
  EXPECT_EQ(column(weighted_in_degrees(g)), (std::vector<float>{1, 3, 6, 4}));
  EXPECT_EQ(column(weighted_out_degrees(g)), (std::vector<float>{1, 3, 6, 4}));
}

TEST(Normalize, GcnNormByHandOnTheWeightedPath) {
  // With unit loops the degrees are 1 + {1, 3, 6, 4} = {2, 4, 7, 5}; entry (i, j) = w / sqrt(d_i d_j).
  const Csr n = gcn_norm(fixtures::weighted_path());
  const double d[4] = {2, 4, 7, 5};
  const auto at = [&](int i, int j, double w) { return static_cast<float>(w / std::sqrt(d[i] * d[j])); };
  const Csr expected = csr_from_rows(
      {{0, 1}, {0, 1, 2}, {1, 2, 3}, {2, 3}}, -1,
      {{at(0, 0, 1), at(0, 1, 1)},
       {at(1, 0, 1), at(1, 1, 1), at(1, 2, 2)},
       {at(2, 1, 2), at(2, 2, 1), at(2, 3, 4)},
       {at(3, 2, 4), at(3, 3, 1)}});
  EXPECT_EQ(n.col_idx().to_vector(), expected.col_idx().to_vector());
  const auto got = fixtures::values_of(n);
  const auto want = fixtures::values_of(expected);
  for (std::size_t k = 0; k < want.size(); ++k) EXPECT_NEAR(got[k], want[k], 1e-6f) << k;
}

TEST(Normalize, GcnNormMatchesDenseFormulaOnRandomGraph) {
  const Csr g = uniform_random_graph(60, 200, /*symmetric=*/false, /*self_loops=*/false, 3);
  const Csr n = gcn_norm(g, {true, 2.0f});  // "improved" GCN: loops of weight 2
  // Dense reference: Â = A + 2I, d_i = Σ_j Â_ij, N = D^-1/2 Â D^-1/2.
  auto a = dense(g);
  for (std::size_t i = 0; i < a.size(); ++i) a[i][i] += 2.0f;
  std::vector<double> deg(a.size(), 0);
  for (std::size_t i = 0; i < a.size(); ++i)
    for (const float v : a[i]) deg[i] += v;
  const auto got = dense(n);
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < a.size(); ++j)
      ASSERT_NEAR(got[i][j], a[i][j] / std::sqrt(deg[i] * deg[j]), 1e-6) << i << "," << j;
}

TEST(Normalize, GcnNormWithoutAddingLoopsAndIsolatedNodes) {
  // Diamond without loops: node 0 has in-degree 0, so its factor is 0 and edges from it vanish.
  const Csr n = gcn_norm(fixtures::diamond(), {false, 1.0f});
  EXPECT_EQ(n.num_edges(), 5);
  const auto v = fixtures::values_of(n);
  // Edges in order: 0->1, 0->2, 1->3, 2->3, 3->4 with in-degrees {0, 1, 1, 2, 1}.
  EXPECT_FLOAT_EQ(v[0], 0.0f);
  EXPECT_FLOAT_EQ(v[1], 0.0f);
  EXPECT_FLOAT_EQ(v[2], static_cast<float>(1 / std::sqrt(2.0)));
  EXPECT_FLOAT_EQ(v[3], static_cast<float>(1 / std::sqrt(2.0)));
  EXPECT_FLOAT_EQ(v[4], static_cast<float>(1 / std::sqrt(2.0)));
}

TEST(Normalize, RowNormGivesMeanWeights) {
  // weighted_path rows: 0: {1 (1)}, 1: {0 (1), 2 (2)}, 2: {1 (2), 3 (4)}, 3: {2 (4)}
  const Csr n = row_norm(fixtures::weighted_path());
  const std::vector<float> want{1, 1.0f / 3, 2.0f / 3, 2.0f / 6, 4.0f / 6, 1};
  const auto got = fixtures::values_of(n);
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t k = 0; k < want.size(); ++k) EXPECT_FLOAT_EQ(got[k], want[k]) << k;
  const auto unweighted = fixtures::values_of(row_norm(fixtures::diamond()));
  EXPECT_EQ(unweighted, (std::vector<float>{1, 1, 0.5f, 0.5f, 1}));
}

TEST(Normalize, RejectsNonSquareForGcn) {
  const Csr rect = csr_from_rows({{0, 2}, {1}}, 3);
  EXPECT_THROW(gcn_norm(rect), InvalidArgument);
  EXPECT_EQ(row_norm(rect).num_edges(), 3);  // row normalisation works for any shape
  EXPECT_EQ(out_degrees(rect).to_vector(), (std::vector<EdgeId>{1, 1, 1}));
}

}  // namespace
}  // namespace moegnn::graph
