// SPDX-License-Identifier: Apache-2.0
// Tests of graph/generators.h: shape and edge counts of the arXiv-scale graph, symmetry and loops,
// determinism across seeds and thread counts, R-MAT's skew against the uniform generator, and the
// parameter checks.
#include "graph/generators.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/parallel.h"
#include "tests/graph/fixtures.h"

namespace moegnn::graph {
namespace {

using fixtures::same_csr;

// Symmetric iff the cached transpose has the same structure.
bool is_symmetric(const Csr& g) {
  const Csr& t = g.transpose();
  return g.row_ptr().to_vector() == t.row_ptr().to_vector() &&
         g.col_idx().to_vector() == t.col_idx().to_vector();
}

bool every_node_has_one_loop(const Csr& g) {
  for (Index r = 0; r < g.num_rows(); ++r) {
    const auto row = g.neighbors(r);
    if (std::count(row.begin(), row.end(), static_cast<NodeId>(r)) != 1) return false;
  }
  return true;
}

Index max_degree(const Csr& g) {
  Index m = 0;
  for (Index r = 0; r < g.num_rows(); ++r) m = std::max(m, g.degree(r));
  return m;
}

TEST(Generators, ArxivScaleGraphHasArxivCountsAndIsDeterministic) {
  set_num_threads(1);
  const Csr one = arxiv_scale_graph(1);
  set_num_threads(0);
  const Csr all = arxiv_scale_graph(1);
  EXPECT_EQ(all.num_nodes(), 169343);
  EXPECT_TRUE(all.is_square());
  EXPECT_GT(all.num_edges(), 2'200'000);
  EXPECT_LT(all.num_edges(), 2'450'000);
  EXPECT_FALSE(all.has_values());
  EXPECT_TRUE(same_csr(one, all));
  EXPECT_TRUE(is_symmetric(all));
  EXPECT_TRUE(every_node_has_one_loop(all));
  EXPECT_TRUE(fixtures::rows_sorted(all));
}

TEST(Generators, RmatSeedsGiveDifferentGraphs) {
  RmatOptions o;
  o.num_nodes = 3000;
  o.num_edges = 20000;
  const Csr a = rmat(o);
  const Csr b = rmat(o);
  o.seed = 2;
  const Csr c = rmat(o);
  EXPECT_TRUE(same_csr(a, b));
  EXPECT_FALSE(same_csr(a, c));
}

TEST(Generators, RmatIsSkewedAndUniformIsFlat) {
  RmatOptions o;
  o.num_nodes = 4096;
  o.num_edges = 40000;
  o.self_loops = false;
  const Csr skewed = rmat(o);
  const Csr flat = uniform_random_graph(4096, 40000);
  // Mean degree ~20 in both; R-MAT's hubs reach many times that, G(n, m) stays near it.
  EXPECT_GT(max_degree(skewed), 10 * skewed.num_edges() / skewed.num_nodes());
  EXPECT_LT(max_degree(flat), 3 * flat.num_edges() / flat.num_nodes());
  EXPECT_TRUE(is_symmetric(skewed));
  for (Index r = 0; r < skewed.num_rows(); ++r) {
    const auto row = skewed.neighbors(r);
    EXPECT_FALSE(std::binary_search(row.begin(), row.end(), static_cast<NodeId>(r))) << r;
  }
}

TEST(Generators, RmatOptionsAreHonoured) {
  RmatOptions o;
  o.num_nodes = 1000;  // not a power of two: ids beyond it must be redrawn
  o.num_edges = 5000;
  o.symmetric = false;
  o.scramble = false;
  const Csr g = rmat(o);
  EXPECT_EQ(g.num_nodes(), 1000);
  EXPECT_TRUE(every_node_has_one_loop(g));
  EXPECT_FALSE(is_symmetric(g));
  // Unscrambled R-MAT with a > d piles edges on small ids: node 0 is (one of) the biggest hubs.
  EXPECT_GT(g.transpose().degree(0), 4 * g.num_edges() / g.num_nodes());
  EXPECT_EQ(uniform_random_graph(10, 0).num_edges(), 0);
  EXPECT_EQ(rmat(RmatOptions{}).num_nodes(), 0);
}

TEST(Generators, RejectBadParameters) {
  RmatOptions o;
  o.num_nodes = 10;
  o.num_edges = -1;
  EXPECT_THROW(rmat(o), InvalidArgument);
  o.num_edges = 10;
  o.a = 0.9;  // a + b + c > 1
  EXPECT_THROW(rmat(o), InvalidArgument);
  o.a = -0.1;
  EXPECT_THROW(rmat(o), InvalidArgument);
  o.a = 0.57;
  o.num_nodes = 0;
  EXPECT_THROW(rmat(o), InvalidArgument);
  o.num_nodes = std::int64_t{1} << 32;
  EXPECT_THROW(rmat(o), InvalidArgument);
  EXPECT_THROW(uniform_random_graph(0, 5), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::graph
