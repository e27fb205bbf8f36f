// SPDX-License-Identifier: Apache-2.0
// Edge homophily on a hand-counted graph, and bad input.
#include "datasets/homophily.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace moegnn::datasets {
namespace {

// Labels in brackets; 0 also has a self-loop, which does not count.
//   0[a] --- 1[a]
//     \     /
//      2[b] --- 3[b]
// Stored entries (both directions): 0-1 same, 0-2 and 1-2 different, 2-3 same -> 4 of 8.
graph::Csr triangle_with_tail() {
  return graph::Csr(4, 4, graph::EdgeIds{0, 3, 5, 8, 9},
                    graph::NodeIds{0, 1, 2, 0, 2, 0, 1, 3, 2});
}

TEST(EdgeHomophily, MatchesHandCount) {
  EXPECT_DOUBLE_EQ(edge_homophily(triangle_with_tail(), IndexArray32{0, 0, 1, 1}), 0.5);
  EXPECT_DOUBLE_EQ(edge_homophily(triangle_with_tail(), IndexArray32{0, 0, 0, 0}), 1.0);
  EXPECT_DOUBLE_EQ(edge_homophily(triangle_with_tail(), IndexArray32{0, 1, 2, 3}), 0.0);
}

TEST(EdgeHomophily, EmptyGraphIsZero) {
  const graph::Csr empty(3, 3, graph::EdgeIds{0, 0, 0, 0}, graph::NodeIds{});
  EXPECT_DOUBLE_EQ(edge_homophily(empty, IndexArray32{0, 1, 2}), 0.0);
}

TEST(EdgeHomophily, RejectsBadInput) {
  EXPECT_THROW(edge_homophily(triangle_with_tail(), IndexArray32{0, 1}), InvalidArgument);
  const graph::Csr rectangular(2, 3, graph::EdgeIds{0, 1, 1}, graph::NodeIds{2});
  EXPECT_THROW(edge_homophily(rectangular, IndexArray32{0, 1}), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::datasets
