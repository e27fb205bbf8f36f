// SPDX-License-Identifier: Apache-2.0
// Tests of graph/subgraph.h: induced subgraphs of the diamond by hand (unsorted node order, edge
// ids, values), a dense-reference check on a random graph, k-hop closures by hand and against a
// naive BFS, the bad inputs, and compact_columns by hand.
#include "graph/subgraph.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>

#include "core/rng.h"
#include "graph/generators.h"
#include "tests/graph/fixtures.h"

namespace moegnn::graph {
namespace {

using fixtures::csr_from_rows;
using fixtures::dense;
using fixtures::same_csr;

TEST(Subgraph, InducedOnTheDiamondInGivenOrder) {
  // Diamond: 0 -> 1, 0 -> 2, 1 -> 3, 2 -> 3, 3 -> 4 (edge ids 0..4 in that order).
  // Nodes {3, 0, 1} -> local 0 = 3, 1 = 0, 2 = 1; kept: 0 -> 1 (local 1 -> 2) and 1 -> 3 (2 -> 0).
  const Subgraph s = induced_subgraph(fixtures::diamond(), NodeIds{3, 0, 1});
  EXPECT_TRUE(same_csr(s.graph, csr_from_rows({{2}, {}, {1}})));
  EXPECT_EQ(s.nodes.to_vector(), (std::vector<NodeId>{3, 0, 1}));
  EXPECT_EQ(s.edge_ids.to_vector(), (std::vector<EdgeId>{2, 0}));
}

TEST(Subgraph, InducedCarriesValues) {
  // weighted_path 0 ─1─ 1 ─2─ 2 ─4─ 3; nodes {2, 1}: local 0 = 2, 1 = 1, the edge of weight 2 twice.
  const Subgraph s = induced_subgraph(fixtures::weighted_path(), NodeIds{2, 1});
  EXPECT_TRUE(same_csr(s.graph, csr_from_rows({{1}, {0}}, -1, {{2}, {2}})));
}

TEST(Subgraph, InducedMatchesDenseReference) {
  const Csr g = uniform_random_graph(200, 1500, false, false, 5);
  Rng rng(3);
  std::vector<NodeId> pick;
  for (NodeId v = 0; v < 200; ++v)
    if (rng.uniform() < 0.3f) pick.push_back(v);
  for (std::size_t i = pick.size(); i > 1; --i) std::swap(pick[i - 1], pick[rng.below(i)]);
  const Subgraph s = induced_subgraph(g, NodeIds(pick));
  const auto full = dense(g);
  const auto sub = dense(s.graph);
  for (std::size_t i = 0; i < pick.size(); ++i)
    for (std::size_t j = 0; j < pick.size(); ++j) ASSERT_EQ(sub[i][j], full[pick[i]][pick[j]]);
  EXPECT_TRUE(fixtures::rows_sorted(s.graph));
  const auto cols = g.col_idx().to_vector();
  const auto sub_cols = s.graph.col_idx().to_vector();
  const auto ids = s.edge_ids.to_vector();
  for (std::size_t e = 0; e < ids.size(); ++e) EXPECT_EQ(cols[ids[e]], pick[sub_cols[e]]);
}

TEST(Subgraph, KHopNodesOfTheDiamond) {
  const Csr g = fixtures::diamond();  // in-edges: 4 <- 3 <- {1, 2} <- 0
  EXPECT_EQ(k_hop_nodes(g, NodeIds{4}, 0).to_vector(), (std::vector<NodeId>{4}));
  EXPECT_EQ(k_hop_nodes(g, NodeIds{4}, 1).to_vector(), (std::vector<NodeId>{3, 4}));
  EXPECT_EQ(k_hop_nodes(g, NodeIds{4}, 2).to_vector(), (std::vector<NodeId>{1, 2, 3, 4}));
  EXPECT_EQ(k_hop_nodes(g, NodeIds{4, 4}, 5).to_vector(), (std::vector<NodeId>{0, 1, 2, 3, 4}));
  EXPECT_EQ(k_hop_nodes(g, NodeIds{0}, 3).to_vector(), (std::vector<NodeId>{0}));
  EXPECT_TRUE(k_hop_nodes(g, NodeIds{}, 3).empty());
  const Subgraph s = k_hop_subgraph(g, NodeIds{4}, 1);
  EXPECT_TRUE(same_csr(s.graph, csr_from_rows({{}, {0}})));  // 3 -> 4 as local 0 -> 1
}

// Naive BFS over rows with per-node depth.
std::vector<NodeId> naive_k_hop(const Csr& g, const std::vector<NodeId>& seeds, int k) {
  std::vector<int> depth(static_cast<std::size_t>(g.num_nodes()), -1);
  std::deque<NodeId> queue;
  for (const NodeId s : seeds) {
    depth[s] = 0;
    queue.push_back(s);
  }
  while (!queue.empty()) {
    const NodeId v = queue.front();
    queue.pop_front();
    if (depth[v] == k) continue;
    for (const NodeId u : g.neighbors(v))
      if (depth[u] < 0) {
        depth[u] = depth[v] + 1;
        queue.push_back(u);
      }
  }
  std::vector<NodeId> out;
  for (NodeId v = 0; v < g.num_nodes(); ++v)
    if (depth[v] >= 0) out.push_back(v);
  return out;
}

TEST(Subgraph, KHopMatchesNaiveBfsOnRandomGraph) {
  RmatOptions o;
  o.num_nodes = 20000;
  o.num_edges = 60000;
  o.symmetric = false;
  const Csr g = rmat(o);
  const std::vector<NodeId> seeds{5, 17, 900, 19999};
  for (int k = 0; k <= 3; ++k)
    EXPECT_EQ(k_hop_nodes(g, NodeIds(seeds), k).to_vector(), naive_k_hop(g, seeds, k)) << k;
}

TEST(Subgraph, RejectsBadInput) {
  const Csr g = fixtures::diamond();
  EXPECT_THAT([&] { induced_subgraph(g, NodeIds{1, 2, 1}); },
              ::testing::ThrowsMessage<InvalidArgument>(::testing::HasSubstr("nodes[2] = 1 repeats")));
  EXPECT_THAT([&] { induced_subgraph(g, NodeIds{0, 5}); },
              ::testing::ThrowsMessage<InvalidArgument>(::testing::HasSubstr("nodes[1] = 5 out of range")));
  EXPECT_THROW(k_hop_nodes(g, NodeIds{-1}, 1), InvalidArgument);
  EXPECT_THROW(k_hop_nodes(g, NodeIds{0}, -1), InvalidArgument);
  const Csr rect = csr_from_rows({{0, 2}, {1}}, 3);
  EXPECT_THROW(induced_subgraph(rect, NodeIds{0}), InvalidArgument);
  EXPECT_THROW(k_hop_nodes(rect, NodeIds{0}, 1), InvalidArgument);
}

// Columns 1, 4 and 6 of a 3 × 7 matrix hold entries: they become local columns 0, 1 and 2, the
// rows (an empty one included) and the values stay; an empty matrix keeps no column.
TEST(Subgraph, CompactColumnsRenumbersTheUsedColumns) {
  const Csr a = csr_from_rows({{4, 6}, {}, {1, 4}}, 7, {{0.5f, 2.0f}, {}, {3.0f, 4.0f}});
  const ColumnSubset used = compact_columns(a);
  EXPECT_EQ(used.columns.to_vector(), (std::vector<NodeId>{1, 4, 6}));
  EXPECT_TRUE(same_csr(used.csr,
                       csr_from_rows({{1, 2}, {}, {0, 1}}, 3, {{0.5f, 2.0f}, {}, {3.0f, 4.0f}})));
  const ColumnSubset none = compact_columns(csr_from_rows({{}, {}}, 5));
  EXPECT_EQ(none.columns.size(), 0);
  EXPECT_EQ(none.csr.num_rows(), 2);
  EXPECT_EQ(none.csr.num_cols(), 0);
}

}  // namespace
}  // namespace moegnn::graph
