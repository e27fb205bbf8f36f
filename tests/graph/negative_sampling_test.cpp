// SPDX-License-Identifier: Apache-2.0
// Tests of graph/negative_sampling.h: graphs whose non-edges are known by hand (so every draw is
// checked, and frequencies against the uniform law), dense graphs that force the exact fallback,
// thread-count independence, and bad inputs.
#include "graph/negative_sampling.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "core/parallel.h"
#include "graph/generators.h"
#include "tests/graph/fixtures.h"

namespace moegnn::graph {
namespace {

using fixtures::csr_from_rows;

// "almost_complete" on 3 nodes: every edge s -> d with s != d except 0 -> 2.
//
//     0 <══> 1 <══> 2 ──> 0       (══ both directions; 0 -> 2 missing)
//
// rows (in-neighbours): 0: {1, 2}, 1: {0, 2}, 2: {1}
Csr almost_complete() { return csr_from_rows({{1, 2}, {0, 2}, {1}}); }

std::map<std::pair<NodeId, NodeId>, int> histogram(const EdgeList& e) {
  std::map<std::pair<NodeId, NodeId>, int> h;
  const auto s = e.src.to_vector();
  const auto d = e.dst.to_vector();
  for (std::size_t i = 0; i < s.size(); ++i) ++h[{s[i], d[i]}];
  return h;
}

TEST(NegativeSampling, OnlyNonEdgeIsAlwaysDrawn) {
  Rng rng(1);
  const auto h = histogram(negative_sampling(almost_complete(), 500, rng));
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h.begin()->first, (std::pair<NodeId, NodeId>{0, 2}));
}

TEST(NegativeSampling, IncludingLoopsIsUniformOverTheFourNonEdges) {
  Rng rng(2);
  const auto h = histogram(negative_sampling(almost_complete(), 8000, rng, false));
  // Non-edges: (0, 2) and the loops (0, 0), (1, 1), (2, 2), each with probability 1/4 (sd ~39).
  ASSERT_EQ(h.size(), 4u);
  for (const auto& [pair, count] : h) {
    EXPECT_TRUE(pair.first == pair.second || pair == std::make_pair(0, 2));
    EXPECT_NEAR(count, 2000, 200);
  }
}

TEST(NegativeSampling, DenseGraphUsesTheExactFallback) {
  // 150 nodes, every s -> d (s != d) except the three pairs below: rejection almost always fails.
  const NodeId n = 150;
  std::vector<std::vector<NodeId>> rows(n);
  for (NodeId d = 0; d < n; ++d)
    for (NodeId s = 0; s < n; ++s)
      if (s != d && !(s == 3 && d == 7) && !(s == 149 && d == 0) && !(s == 20 && d == 21))
        rows[d].push_back(s);
  Rng rng(3);
  const auto h = histogram(negative_sampling(csr_from_rows(rows), 3000, rng));
  ASSERT_EQ(h.size(), 3u);
  for (const auto& [pair, count] : h) EXPECT_NEAR(count, 1000, 130);
  EXPECT_EQ(h.count({3, 7}), 1u);
  EXPECT_EQ(h.count({149, 0}), 1u);
  EXPECT_EQ(h.count({20, 21}), 1u);
}

TEST(NegativeSampling, SparseGraphNegativesAreNonEdgesOnAnyThreadCount) {
  const Csr g = uniform_random_graph(500, 3000, false, false, 4);
  const auto adj = fixtures::dense(g);
  Rng a(8), b(8);
  set_num_threads(1);
  const EdgeList one = negative_sampling(g, 20000, a);
  set_num_threads(0);
  const EdgeList all = negative_sampling(g, 20000, b);
  EXPECT_EQ(one.src.to_vector(), all.src.to_vector());
  EXPECT_EQ(one.dst.to_vector(), all.dst.to_vector());
  const auto s = all.src.to_vector();
  const auto d = all.dst.to_vector();
  for (std::size_t i = 0; i < s.size(); ++i) {
    ASSERT_NE(s[i], d[i]);
    ASSERT_EQ(adj[d[i]][s[i]], 0.0f) << s[i] << " -> " << d[i] << " is an edge";
  }
}

TEST(NegativeSampling, StructuredCorruptsDestinations) {
  const Csr g = almost_complete();
  // Out-neighbours: 0 -> {1}, 1 -> {0, 2}, 2 -> {0, 1}. Without loops, source 0's only admissible
  // destination is 2 and source 1 has none.
  Rng rng(4);
  const EdgeList neg = structured_negative_sampling(g, {NodeIds{0, 0}, NodeIds{1, 1}}, 3, rng);
  EXPECT_EQ(neg.src.to_vector(), (std::vector<NodeId>(6, 0)));
  EXPECT_EQ(neg.dst.to_vector(), (std::vector<NodeId>(6, 2)));
  // Loops allowed: source 1's only admissible destination is itself.
  const EdgeList loops = structured_negative_sampling(g, {NodeIds{1}, NodeIds{0}}, 4, rng, false);
  EXPECT_EQ(loops.dst.to_vector(), (std::vector<NodeId>(4, 1)));
  EXPECT_THAT([&] { structured_negative_sampling(g, {NodeIds{0, 1}, NodeIds{1, 0}}, 2, rng); },
              ::testing::ThrowsMessage<InvalidArgument>(
                  ::testing::HasSubstr("positives.src[1] = 1 links to all")));
}

TEST(NegativeSampling, StructuredFallbackOnAHub) {
  // Node 0 sends to everyone except 17 (300 nodes): ~1/300 of the draws are admissible.
  const NodeId n = 300;
  std::vector<std::vector<NodeId>> rows(n);
  for (NodeId d = 1; d < n; ++d)
    if (d != 17) rows[d].push_back(0);
  const Csr g = csr_from_rows(rows);
  Rng rng(5);
  const EdgeList neg = structured_negative_sampling(g, {NodeIds{0}, NodeIds{5}}, 200, rng);
  EXPECT_EQ(neg.dst.to_vector(), (std::vector<NodeId>(200, 17)));
}

TEST(NegativeSampling, RejectsBadInput) {
  Rng rng(1);
  const Csr complete = csr_from_rows({{1, 2}, {0, 2}, {0, 1}});
  EXPECT_THAT([&] { negative_sampling(complete, 1, rng); },
              ::testing::ThrowsMessage<InvalidArgument>(::testing::HasSubstr("0 non-edges")));
  EXPECT_EQ(negative_sampling(complete, 0, rng).size(), 0);
  EXPECT_THROW(negative_sampling(complete, -1, rng), InvalidArgument);
  const Csr unsorted = csr_from_rows({{2, 1}, {}, {}});
  EXPECT_THAT([&] { negative_sampling(unsorted, 1, rng); },
              ::testing::ThrowsMessage<InvalidArgument>(::testing::HasSubstr("coalesce")));
  const Csr g = almost_complete();
  EXPECT_THROW(structured_negative_sampling(g, {NodeIds{0}, NodeIds{1, 2}}, 1, rng), InvalidArgument);
  EXPECT_THAT([&] { structured_negative_sampling(g, {NodeIds{0, 3}, NodeIds{1, 2}}, 1, rng); },
              ::testing::ThrowsMessage<InvalidArgument>(::testing::HasSubstr("positives.src[1] = 3")));
  EXPECT_THROW(structured_negative_sampling(g, {NodeIds{0}, NodeIds{1}}, -1, rng), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::graph
