// SPDX-License-Identifier: Apache-2.0
// Tests of graph/transform.h and graph/edge_list.h on tiny hand-checked graphs, including unsorted
// and multi-edge inputs that take the rebuild path.
#include "graph/transform.h"

#include <gtest/gtest.h>

#include "graph/edge_list.h"
#include "tests/graph/fixtures.h"

namespace moegnn::graph {
namespace {

using fixtures::csr_from_rows;
using fixtures::same_csr;

// "looped", weighted, directed:
//
//     0 ──(2)──> 1 ──(3)──> 2      with a loop at 1 of weight 5
//                ↺
//
// rows: 0: {}, 1: {0 (2), 1 (5)}, 2: {1 (3)}
Csr looped() { return csr_from_rows({{}, {0, 1}, {1}}, -1, {{}, {2, 5}, {3}}); }

TEST(Transform, AddSelfLoopsReplacesExistingLoops) {
  EXPECT_TRUE(same_csr(add_self_loops(looped(), 0.5f),
                       csr_from_rows({{0}, {0, 1}, {1, 2}}, -1, {{0.5f}, {2, 0.5f}, {3, 0.5f}})));
}

TEST(Transform, AddRemainingSelfLoopsKeepsExistingValues) {
  EXPECT_TRUE(same_csr(add_remaining_self_loops(looped(), 0.5f),
                       csr_from_rows({{0}, {0, 1}, {1, 2}}, -1, {{0.5f}, {2, 5}, {3, 0.5f}})));
}

TEST(Transform, RemoveSelfLoops) {
  EXPECT_TRUE(same_csr(remove_self_loops(looped()), csr_from_rows({{}, {0}, {1}}, -1, {{}, {2}, {3}})));
  EXPECT_TRUE(same_csr(remove_self_loops(fixtures::diamond()), fixtures::diamond()));
}

TEST(Transform, UnweightedLoopsStayUnweighted) {
  const Csr g = add_self_loops(fixtures::diamond());
  EXPECT_FALSE(g.has_values());
  EXPECT_TRUE(same_csr(g, csr_from_rows({{0}, {0, 1}, {0, 2}, {1, 2, 3}, {3, 4}})));
}

TEST(Transform, ToUndirectedSumsBothDirections) {
  // looped() plus 1 -> 0 (weight 7): the pair 0 <-> 1 appears in both directions.
  const Csr g = csr_from_rows({{1}, {0, 1}, {1}}, -1, {{7}, {2, 5}, {3}});
  // 0: {1: 7 + 2}; 1: {0: 2 + 7, 1: 5 + 5 (a loop is its own reverse), 2: 3}; 2: {1: 3}
  EXPECT_TRUE(same_csr(to_undirected(g), csr_from_rows({{1}, {0, 1, 2}, {1}}, -1, {{9}, {9, 10, 3}, {3}})));
  EXPECT_TRUE(same_csr(to_undirected(g, Duplicates::KeepFirst),
                       csr_from_rows({{1}, {0, 1, 2}, {1}}, -1, {{7}, {2, 5, 3}, {3}})));
  // The diamond becomes the undirected diamond.
  EXPECT_TRUE(same_csr(to_undirected(fixtures::diamond()),
                       csr_from_rows({{1, 2}, {0, 3}, {0, 3}, {1, 2, 4}, {3}})));
}

TEST(Transform, UnsortedAndRepeatedInputsAreHandled) {
  // Row 1 lists 2, 0, 2 (unsorted, 2 twice).
  const Csr messy = csr_from_rows({{}, {2, 0, 2}, {}}, -1, {{}, {1, 2, 4}, {}});
  EXPECT_TRUE(same_csr(coalesce(messy), csr_from_rows({{}, {0, 2}, {}}, -1, {{}, {2, 5}, {}})));
  EXPECT_TRUE(same_csr(coalesce(messy, Duplicates::KeepFirst),
                       csr_from_rows({{}, {0, 2}, {}}, -1, {{}, {2, 1}, {}})));
  // add_self_loops keeps multi-edges (it only touches loops) and sorts.
  EXPECT_TRUE(same_csr(add_self_loops(messy, 9),
                       csr_from_rows({{0}, {0, 1, 2, 2}, {2}}, -1, {{9}, {2, 9, 1, 4}, {9}})));
}

TEST(Transform, EdgeListFollowsStorageOrder) {
  const EdgeList e = to_edge_list(fixtures::diamond());
  EXPECT_EQ(e.size(), 5);
  EXPECT_EQ(e.src.to_vector(), (std::vector<NodeId>{0, 0, 1, 2, 3}));
  EXPECT_EQ(e.dst.to_vector(), (std::vector<NodeId>{1, 2, 3, 3, 4}));
}

TEST(Transform, RejectsNonSquareGraphs) {
  const Csr rect = csr_from_rows({{0, 2}, {1}}, 3);
  EXPECT_THROW(add_self_loops(rect), InvalidArgument);
  EXPECT_THROW(add_remaining_self_loops(rect), InvalidArgument);
  EXPECT_THROW(remove_self_loops(rect), InvalidArgument);
  EXPECT_THROW(to_undirected(rect), InvalidArgument);
  EXPECT_TRUE(same_csr(coalesce(rect), rect));  // no loops involved: any shape
}

}  // namespace
}  // namespace moegnn::graph
