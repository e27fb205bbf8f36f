// SPDX-License-Identifier: Apache-2.0
// Tests of graph/reorder.h: every method returns a permutation (deterministically), permute()
// matches a dense relabelling and round-trips through the inverse, SpMM commutes with the
// relabelling, the degree order by hand, RCM's bandwidth on scrambled paths and grids, and the bad
// inputs.
#include "graph/reorder.h"

#include <algorithm>
#include <cstdlib>
#include <numeric>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/rng.h"
#include "graph/generators.h"
#include "tests/graph/fixtures.h"

namespace moegnn::graph {
namespace {

using fixtures::csr_from_rows;
using fixtures::dense;
using fixtures::same_csr;

constexpr Reorder kMethods[] = {Reorder::Degree, Reorder::Rcm, Reorder::Bfs};

std::vector<NodeId> shuffled_ids(Index n, std::uint64_t seed) {
  std::vector<NodeId> p(static_cast<std::size_t>(n));
  std::iota(p.begin(), p.end(), 0);
  Rng rng(seed);
  for (std::size_t i = p.size(); i > 1; --i) std::swap(p[i - 1], p[rng.below(i)]);
  return p;
}

bool is_permutation_of_ids(std::vector<NodeId> p) {
  std::sort(p.begin(), p.end());
  for (std::size_t i = 0; i < p.size(); ++i)
    if (p[i] != static_cast<NodeId>(i)) return false;
  return true;
}

// A random directed graph (not symmetric, some isolated nodes) with distinct edge values.
Csr weighted_random_graph() {
  const Csr g = uniform_random_graph(120, 300, false, false, 11);
  std::vector<float> v(static_cast<std::size_t>(g.num_edges()));
  std::iota(v.begin(), v.end(), 1.0f);
  return g.with_values(Tensor::from_vector(g.num_edges(), 1, v));
}

// Undirected width × height grid, node = y · width + x.
Csr grid(NodeId width, NodeId height) {
  std::vector<std::vector<NodeId>> rows(static_cast<std::size_t>(width * height));
  for (NodeId y = 0; y < height; ++y)
    for (NodeId x = 0; x < width; ++x) {
      auto& r = rows[static_cast<std::size_t>(y * width + x)];
      if (y > 0) r.push_back((y - 1) * width + x);
      if (x > 0) r.push_back(y * width + x - 1);
      if (x + 1 < width) r.push_back(y * width + x + 1);
      if (y + 1 < height) r.push_back((y + 1) * width + x);
    }
  return csr_from_rows(rows);
}

// max |i - j| over the edges.
Index bandwidth(const Csr& g) {
  const auto ptr = g.row_ptr().host();
  const auto col = g.col_idx().host();
  Index b = 0;
  for (Index r = 0; r < g.num_rows(); ++r)
    for (EdgeId k = ptr[r]; k < ptr[r + 1]; ++k) b = std::max<Index>(b, std::abs(r - col[k]));
  return b;
}

TEST(Reorder, EveryMethodGivesADeterministicPermutation) {
  const Csr g = weighted_random_graph();
  for (const Reorder m : kMethods) {
    const std::vector<NodeId> p = reorder_permutation(g, m);
    EXPECT_EQ(static_cast<Index>(p.size()), g.num_rows()) << to_string(m);
    EXPECT_TRUE(is_permutation_of_ids(p)) << to_string(m);
    EXPECT_EQ(p, reorder_permutation(g, m)) << to_string(m);
  }
  EXPECT_TRUE(reorder_permutation(Csr(), Reorder::Rcm).empty());
}

TEST(Reorder, PermuteMatchesDenseRelabelling) {
  const Csr g = weighted_random_graph();
  const std::vector<NodeId> p = shuffled_ids(g.num_rows(), 4);
  const Csr h = permute(g, p);
  EXPECT_TRUE(fixtures::rows_sorted(h));
  const auto d = dense(g);
  const auto e = dense(h);
  for (std::size_t i = 0; i < d.size(); ++i)
    for (std::size_t j = 0; j < d.size(); ++j) ASSERT_EQ(e[p[i]][p[j]], d[i][j]) << i << ", " << j;
}

TEST(Reorder, PermuteRoundTripsThroughTheInverse) {
  const Csr g = weighted_random_graph();
  for (const Reorder m : kMethods) {
    const std::vector<NodeId> p = reorder_permutation(g, m);
    EXPECT_TRUE(same_csr(permute(permute(g, p), inverse_permutation(p)), g)) << to_string(m);
  }
}

TEST(Reorder, SpmmCommutesWithTheRelabelling) {
  // (P A Pᵀ)(P X) = P (A X): computed naively on both sides.
  const Csr g = weighted_random_graph();
  const Index n = g.num_rows();
  const Tensor x = Tensor::from_vector(n, 3, [&] {
    std::vector<float> v(static_cast<std::size_t>(n * 3));
    Rng rng(9);
    for (float& f : v) f = rng.uniform();
    return v;
  }());
  const auto spmm = [](const Csr& a, const Tensor& in) {
    const auto d = dense(a);
    Tensor out = Tensor::zeros(a.num_rows(), in.cols());
    for (Index i = 0; i < a.num_rows(); ++i)
      for (Index j = 0; j < a.num_cols(); ++j)
        for (Index f = 0; f < in.cols(); ++f)
          out.data()[i * in.cols() + f] += d[i][j] * in.data()[j * in.cols() + f];
    return out;
  };
  const std::vector<NodeId> p = reorder_permutation(g, Reorder::Rcm);
  const Tensor lhs = spmm(permute(g, p), permute_rows(x, p));
  const Tensor rhs = permute_rows(spmm(g, x), p);
  const Tensor plain = spmm(g, x);
  // Relative tolerance: the dense loops sum each row in a different column order on the two sides.
  for (Index k = 0; k < lhs.size(); ++k)
    ASSERT_NEAR(lhs.data()[k], rhs.data()[k], 1e-5f * (1.0f + std::abs(rhs.data()[k]))) << k;
  EXPECT_EQ(permute_rows(x, p).data()[p[5] * 3 + 1], x.data()[5 * 3 + 1]);
  EXPECT_GT(std::abs(rhs.data()[0] - plain.data()[0]) + std::abs(rhs.data()[3] - plain.data()[3]),
            0);
}

TEST(Reorder, DegreeOrderByHand) {
  // Row lengths 1, 3, 1, 2, 0: node 1 first, then 3, then 0 and 2 (ties by id), then 4.
  const Csr g = csr_from_rows({{1}, {0, 2, 3}, {1}, {1, 2}, {}});
  EXPECT_EQ(reorder_permutation(g, Reorder::Degree), (std::vector<NodeId>{2, 0, 3, 1, 4}));
}

TEST(Reorder, RcmRestoresAScrambledPath) {
  std::vector<std::vector<NodeId>> rows(40);
  for (NodeId v = 0; v < 40; ++v) {
    if (v > 0) rows[v].push_back(v - 1);
    if (v + 1 < 40) rows[v].push_back(v + 1);
  }
  const Csr scrambled = permute(csr_from_rows(rows), shuffled_ids(40, 2));
  ASSERT_GT(bandwidth(scrambled), 10);
  EXPECT_EQ(bandwidth(permute(scrambled, reorder_permutation(scrambled, Reorder::Rcm))), 1);
}

TEST(Reorder, RcmNarrowsAScrambledGrid) {
  const Csr scrambled = permute(grid(12, 10), shuffled_ids(120, 3));
  ASSERT_GT(bandwidth(scrambled), 60);
  // Level sets of a corner-started BFS are anti-diagonals of at most 10 nodes.
  EXPECT_LE(bandwidth(permute(scrambled, reorder_permutation(scrambled, Reorder::Rcm))), 2 * 10);
}

TEST(Reorder, RcmAndBfsKeepComponentsContiguous) {
  const Csr g = fixtures::two_triangles();  // {0, 1, 2} and {3, 4, 5}
  for (const Reorder m : {Reorder::Rcm, Reorder::Bfs}) {
    const std::vector<NodeId> p = reorder_permutation(g, m);
    EXPECT_EQ(p[0] / 3, p[1] / 3) << to_string(m);
    EXPECT_EQ(p[0] / 3, p[2] / 3) << to_string(m);
    EXPECT_EQ(p[3] / 3, p[4] / 3) << to_string(m);
  }
}

TEST(Reorder, BadInput) {
  const Csr g = fixtures::diamond();  // 5 nodes
  EXPECT_THAT(
      [&] {
        permute(g, std::vector<NodeId>{0, 1, 2, 3});
      },
      ::testing::ThrowsMessage<InvalidArgument>(::testing::HasSubstr("4 entries vs 5 nodes")));
  EXPECT_THAT(
      [&] {
        permute(g, std::vector<NodeId>{0, 1, 2, 3, 5});
      },
      ::testing::ThrowsMessage<InvalidArgument>(
          ::testing::HasSubstr("permute: new_of_old[4] = 5 out of range")));
  EXPECT_THAT(
      [&] {
        permute(g, std::vector<NodeId>{0, 1, 2, 1, 4});
      },
      ::testing::ThrowsMessage<InvalidArgument>(
          ::testing::HasSubstr("new_of_old[3] = 1 repeats new_of_old[1]")));
  EXPECT_THROW(inverse_permutation(std::vector<NodeId>{-1, 0}), InvalidArgument);
  EXPECT_THAT(
      [&] {
        permute_rows(Tensor::zeros(4, 2), std::vector<NodeId>{0, 1, 2});
      },
      ::testing::ThrowsMessage<InvalidArgument>(::testing::HasSubstr("x with 4 rows")));
  EXPECT_THROW(permute_rows(Tensor::zeros(2, 2), std::vector<NodeId>{1, 1}), InvalidArgument);
  const Csr rect = csr_from_rows({{0}, {1}}, 3);
  EXPECT_THROW(reorder_permutation(rect, Reorder::Degree), InvalidArgument);
  EXPECT_THROW(permute(rect, std::vector<NodeId>{0, 1}), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::graph
