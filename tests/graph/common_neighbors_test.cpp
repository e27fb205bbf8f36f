// SPDX-License-Identifier: Apache-2.0
// Tests of graph/common_neighbors.h: common neighbours against a brute-force std::set intersection
// on random graphs (with repeated edges and self-loops, degree ratios that take both the merge and
// the galloping path), the heuristics against hand-computed values (the numbers networkx's
// common_neighbors / adamic_adar_index / resource_allocation_index give on the same graph), thread
// independence, and bad inputs.
#include "graph/common_neighbors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "core/parallel.h"
#include "core/rng.h"
#include "tests/graph/fixtures.h"

namespace moegnn::graph {
namespace {

using fixtures::csr_from_rows;
using testing::ElementsAre;
using testing::HasSubstr;

// Random rows, sorted, with repeats and self-loops; node 0 is a hub (every node) so some pairs gallop.
Csr random_multigraph(Index n, Index max_degree, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<std::vector<NodeId>> rows(static_cast<std::size_t>(n));
  for (Index r = 0; r < n; ++r) {
    auto& row = rows[static_cast<std::size_t>(r)];
    if (r == 0) {
      for (Index u = 0; u < n; ++u) row.push_back(static_cast<NodeId>(u));
    } else {
      const auto d = static_cast<Index>(rng.below(static_cast<std::uint64_t>(max_degree) + 1));
      for (Index k = 0; k < d; ++k) row.push_back(static_cast<NodeId>(rng.below(n)));
      if (rng.uniform() < 0.3f) row.push_back(static_cast<NodeId>(r));  // self-loop
      if (!row.empty() && rng.uniform() < 0.3f) row.push_back(row.front());  // duplicate
    }
    std::sort(row.begin(), row.end());
  }
  return csr_from_rows(rows);
}

std::set<NodeId> row_set(const Csr& g, NodeId r) {
  const auto s = g.neighbors(r);
  return {s.begin(), s.end()};
}

TEST(CommonNeighbors, MatchesBruteForceSetIntersection) {
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    const Csr g = random_multigraph(200, 12, seed);
    Rng rng(seed + 100);
    std::vector<NodeId> src, dst;
    for (int b = 0; b < 2000; ++b) {
      src.push_back(static_cast<NodeId>(rng.below(200)));
      dst.push_back(b % 10 == 0 ? src.back() : static_cast<NodeId>(rng.below(200)));
    }
    src.push_back(0);  // hub vs small row: the galloping path
    dst.push_back(5);
    const PairNeighbors cn = common_neighbors(g, {NodeIds(src), NodeIds(dst)});
    ASSERT_EQ(cn.num_pairs(), static_cast<Index>(src.size()));
    for (std::size_t b = 0; b < src.size(); ++b) {
      const std::set<NodeId> a = row_set(g, src[b]);
      const std::set<NodeId> c = row_set(g, dst[b]);
      std::vector<NodeId> expected;
      std::set_intersection(a.begin(), a.end(), c.begin(), c.end(), std::back_inserter(expected));
      const std::vector<NodeId> got(cn.nodes.begin() + cn.offsets[b],
                                    cn.nodes.begin() + cn.offsets[b + 1]);
      ASSERT_EQ(got, expected) << "pair " << b << " (" << src[b] << ", " << dst[b] << ")";
    }
  }
}

TEST(CommonNeighbors, SameOnOneAndManyThreads) {
  const Csr g = random_multigraph(300, 20, 7);
  Rng rng(9);
  std::vector<NodeId> src, dst;
  for (int b = 0; b < 5000; ++b) {
    src.push_back(static_cast<NodeId>(rng.below(300)));
    dst.push_back(static_cast<NodeId>(rng.below(300)));
  }
  const EdgeList pairs{NodeIds(src), NodeIds(dst)};
  set_num_threads(1);
  const PairNeighbors one = common_neighbors(g, pairs);
  set_num_threads(0);
  const PairNeighbors many = common_neighbors(g, pairs);
  EXPECT_EQ(one.offsets, many.offsets);
  EXPECT_EQ(one.nodes, many.nodes);
}

// 0 ─ 1, 0 ─ 2, 1 ─ 2, 1 ─ 3, 2 ─ 3, 3 ─ 4 (undirected). Degrees: 2, 3, 3, 3, 1.
Csr small_graph() { return csr_from_rows({{1, 2}, {0, 2, 3}, {0, 1, 3}, {1, 2, 4}, {3}}); }

TEST(LinkHeuristic, MatchesHandComputedValues) {
  const Csr g = small_graph();
  const EdgeList pairs{NodeIds({0, 1, 0, 2, 4}), NodeIds({3, 2, 4, 4, 1})};
  // CN(0,3) = {1,2}; CN(1,2) = {0,3}; CN(0,4) = {}; CN(2,4) = {3}; CN(4,1) = {3}.
  EXPECT_THAT(link_heuristic(g, pairs, LinkHeuristic::CommonNeighbors),
              ElementsAre(2.0f, 2.0f, 0.0f, 1.0f, 1.0f));
  const float l2 = 1.0f / std::log(2.0f), l3 = 1.0f / std::log(3.0f);
  const auto aa = link_heuristic(g, pairs, LinkHeuristic::AdamicAdar);
  EXPECT_NEAR(aa[0], 2 * l3, 1e-6);  // networkx adamic_adar_index(G, [(0, 3)]) = 1.8204784532536746
  EXPECT_NEAR(aa[0], 1.8204784532536746, 1e-6);
  EXPECT_NEAR(aa[1], l2 + l3, 1e-6);
  EXPECT_EQ(aa[2], 0.0f);
  EXPECT_NEAR(aa[3], l3, 1e-6);
  const auto ra = link_heuristic(g, pairs, LinkHeuristic::ResourceAllocation);
  EXPECT_NEAR(ra[0], 2.0f / 3.0f, 1e-6);
  EXPECT_NEAR(ra[1], 0.5f + 1.0f / 3.0f, 1e-6);
  EXPECT_EQ(ra[2], 0.0f);
}

TEST(CommonNeighbors, DegreeCapReadsOnlyTheFirstEntries) {
  const Csr g = small_graph();
  CommonNeighborOptions options;
  options.max_degree = 1;  // row 1 -> {0}, row 2 -> {0}
  const PairNeighbors cn = common_neighbors(g, {NodeIds({1}), NodeIds({2})}, options);
  EXPECT_THAT(cn.nodes, ElementsAre(0));
  const Csr c = cn.to_csr(5);
  EXPECT_EQ(c.num_rows(), 1);
  EXPECT_EQ(c.num_cols(), 5);
}

TEST(CommonNeighbors, RejectsBadInput) {
  const Csr g = small_graph();
  try {
    common_neighbors(g, {NodeIds({0, 1}), NodeIds({1, 5})});
    FAIL() << "no throw";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("common_neighbors: pairs.dst"));
    EXPECT_THAT(e.what(), HasSubstr("5"));
  }
  EXPECT_THROW(common_neighbors(g, {NodeIds({-1}), NodeIds({1})}), InvalidArgument);
  EXPECT_THROW(common_neighbors(g, {NodeIds({0, 1}), NodeIds({1})}), InvalidArgument);
  const Csr unsorted = csr_from_rows({{1, 0}, {0}});
  try {
    common_neighbors(unsorted, {NodeIds({0}), NodeIds({1})});
    FAIL() << "no throw";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("not sorted"));
  }
  EXPECT_THROW(common_neighbors(csr_from_rows({{0}}, 3), {NodeIds({0}), NodeIds({0})}),
               InvalidArgument);  // not square
  EXPECT_THROW(link_heuristic(g, {NodeIds({7}), NodeIds({1})}, LinkHeuristic::AdamicAdar),
               InvalidArgument);
}

}  // namespace
}  // namespace moegnn::graph

namespace moegnn::graph {
namespace {

TEST(SplitNeighborhoods, MatchesSetDifferences) {
  const Csr g = random_multigraph(150, 10, 4);
  Rng rng(12);
  std::vector<NodeId> src, dst;
  for (int b = 0; b < 800; ++b) {
    src.push_back(static_cast<NodeId>(rng.below(150)));
    dst.push_back(static_cast<NodeId>(rng.below(150)));
  }
  const NeighborhoodSplit s = split_neighborhoods(g, {NodeIds(src), NodeIds(dst)});
  for (std::size_t b = 0; b < src.size(); ++b) {
    const std::set<NodeId> a = row_set(g, src[b]);
    const std::set<NodeId> c = row_set(g, dst[b]);
    std::vector<NodeId> both, only_a, only_c;
    std::set_intersection(a.begin(), a.end(), c.begin(), c.end(), std::back_inserter(both));
    std::set_difference(a.begin(), a.end(), c.begin(), c.end(), std::back_inserter(only_a));
    std::set_difference(c.begin(), c.end(), a.begin(), a.end(), std::back_inserter(only_c));
    const auto row = [b](const PairNeighbors& p) {
      return std::vector<NodeId>(p.nodes.begin() + p.offsets[b], p.nodes.begin() + p.offsets[b + 1]);
    };
    ASSERT_EQ(row(s.common), both) << "pair " << b;
    ASSERT_EQ(row(s.only_src), only_a) << "pair " << b;
    ASSERT_EQ(row(s.only_dst), only_c) << "pair " << b;
  }
}

}  // namespace
}  // namespace moegnn::graph

namespace moegnn::graph {
namespace {

// Every intersection method gives the brute-force sets, on a dense multigraph (where Auto picks
// bitsets) and with the degree cap, for the common neighbours, the split and a heuristic.
TEST(CommonNeighbors, EveryMethodMatchesBruteForceOnADenseGraph) {
  const Index n = 190;  // 3 words per row, the last one partial
  const Csr g = random_multigraph(n, 120, 21);
  Rng rng(22);
  std::vector<NodeId> src, dst;
  for (int b = 0; b < 3000; ++b) {
    src.push_back(static_cast<NodeId>(rng.below(n)));
    dst.push_back(b % 7 == 0 ? src.back() : static_cast<NodeId>(rng.below(n)));
  }
  const EdgeList pairs{NodeIds(src), NodeIds(dst)};
  EXPECT_EQ(intersection_for(g, 0, pairs.size()), Intersection::Bitsets);
  EXPECT_EQ(intersection_for(g, 0, 10), Intersection::Lists);  // too few pairs to repay the build
  EXPECT_EQ(intersection_for(random_multigraph(n, 4, 1), 0, pairs.size()), Intersection::Lists);
  for (const Index cap : {Index{0}, Index{40}}) {
    const auto capped = [&](NodeId r) {
      const auto s = g.neighbors(r);
      const auto len = cap > 0 ? std::min<std::size_t>(s.size(), static_cast<std::size_t>(cap))
                               : s.size();
      return std::set<NodeId>(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(len));
    };
    for (const Intersection method :
         {Intersection::Auto, Intersection::Lists, Intersection::Bitsets}) {
      CommonNeighborOptions o;
      o.max_degree = cap;
      o.method = method;
      const PairNeighbors cn = common_neighbors(g, pairs, o);
      const NeighborhoodSplit split = split_neighborhoods(g, pairs, o);
      const std::vector<float> count = link_heuristic(g, pairs, LinkHeuristic::CommonNeighbors, o);
      const auto row = [](const PairNeighbors& p, std::size_t b) {
        return std::vector<NodeId>(p.nodes.begin() + p.offsets[b],
                                   p.nodes.begin() + p.offsets[b + 1]);
      };
      for (std::size_t b = 0; b < src.size(); ++b) {
        const std::set<NodeId> a = capped(src[b]);
        const std::set<NodeId> c = capped(dst[b]);
        std::vector<NodeId> both, only_a, only_c;
        std::set_intersection(a.begin(), a.end(), c.begin(), c.end(), std::back_inserter(both));
        std::set_difference(a.begin(), a.end(), c.begin(), c.end(), std::back_inserter(only_a));
        std::set_difference(c.begin(), c.end(), a.begin(), a.end(), std::back_inserter(only_c));
        const std::string where = "pair " + std::to_string(b) + ", cap " + std::to_string(cap) +
                                  ", method " + std::to_string(static_cast<int>(method));
        ASSERT_EQ(row(cn, b), both) << where;
        ASSERT_EQ(row(split.common, b), both) << where;
        ASSERT_EQ(row(split.only_src, b), only_a) << where;
        ASSERT_EQ(row(split.only_dst, b), only_c) << where;
        ASSERT_EQ(count[b], static_cast<float>(both.size())) << where;
      }
    }
  }
}

}  // namespace
}  // namespace moegnn::graph
