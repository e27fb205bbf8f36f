// SPDX-License-Identifier: Apache-2.0
// graph/graph_batch.h: block-diagonal batching by hand, select_graphs against batch_graphs of the
// same graphs, the consistency check, and the seeded batch order.
#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "graph/graph_batch.h"

namespace moegnn::graph {
namespace {

// Graph 0: the path 0-1-2 (3 nodes); graph 1: one edge 0-1 (2 nodes); graph 2: a lone node.
std::vector<Csr> three_graphs() {
  return {Csr(3, 3, EdgeIds{0, 1, 3, 4}, NodeIds{1, 0, 2, 1}),
          Csr(2, 2, EdgeIds{0, 1, 2}, NodeIds{1, 0}), Csr(1, 1, EdgeIds{0, 0}, NodeIds{})};
}
std::vector<Tensor> three_features() {
  return {Tensor::from_rows({{1}, {2}, {3}}), Tensor::from_rows({{4}, {5}}),
          Tensor::from_rows({{6}})};
}

TEST(GraphBatch, BatchesBlockDiagonally) {
  const GraphBatch b = batch_graphs(three_graphs(), three_features());
  EXPECT_EQ(b.num_graphs(), 3);
  EXPECT_EQ(b.num_nodes(), 6);
  EXPECT_EQ(b.ptr.to_vector(), (std::vector<EdgeId>{0, 3, 5, 6}));
  EXPECT_EQ(b.batch.to_vector(), (std::vector<std::int32_t>{0, 0, 0, 1, 1, 2}));
  EXPECT_EQ(b.graph.row_ptr().to_vector(), (std::vector<EdgeId>{0, 1, 3, 4, 5, 6, 6}));
  EXPECT_EQ(b.graph.col_idx().to_vector(), (std::vector<NodeId>{1, 0, 2, 1, 4, 3}));
  EXPECT_EQ(b.x.host()(4, 0), 5.0f);
  check_graph_batch(b, "test");
}

TEST(GraphBatch, SelectGraphsEqualsBatchingThoseGraphs) {
  const GraphBatch all = batch_graphs(three_graphs(), three_features());
  const std::vector<NodeId> ids{2, 0, 0};
  const GraphBatch cut = select_graphs(all, ids);
  const auto g = three_graphs();
  const auto f = three_features();
  const GraphBatch direct =
      batch_graphs(std::vector<Csr>{g[2], g[0], g[0]}, std::vector<Tensor>{f[2], f[0], f[0]});
  EXPECT_EQ(cut.ptr.to_vector(), direct.ptr.to_vector());
  EXPECT_EQ(cut.batch.to_vector(), direct.batch.to_vector());
  EXPECT_EQ(cut.graph.row_ptr().to_vector(), direct.graph.row_ptr().to_vector());
  EXPECT_EQ(cut.graph.col_idx().to_vector(), direct.graph.col_idx().to_vector());
  EXPECT_EQ(cut.x.host(), direct.x.host());
  EXPECT_THROW(select_graphs(all, std::vector<NodeId>{3}), InvalidArgument);
}

TEST(GraphBatch, CheckNamesAnEdgeThatLeavesItsGraph) {
  GraphBatch b = batch_graphs(three_graphs(), three_features());
  // Move node 2's edge to node 3 (graph 1).
  b.graph = Csr(6, 6, EdgeIds{0, 1, 3, 4, 5, 6, 6}, NodeIds{1, 0, 3, 1, 4, 3});
  try {
    check_graph_batch(b, "test");
    FAIL() << "no throw";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("edge 1 -> 3 leaves graph 0"), std::string::npos)
        << e.what();
  }
}

TEST(GraphBatch, RejectsMismatchedFeatures) {
  auto f = three_features();
  f[1] = Tensor::from_rows({{4}});
  EXPECT_THROW(batch_graphs(three_graphs(), f), InvalidArgument);
}

TEST(GraphBatchOrder, CoversEveryIdOnceAndIsSeeded) {
  std::vector<NodeId> ids(23);
  for (NodeId i = 0; i < 23; ++i) ids[static_cast<std::size_t>(i)] = i;
  Rng a(7), b(7), c(8);
  const auto first = graph_batch_order(ids, 5, true, a);
  ASSERT_EQ(first.size(), 5u);
  EXPECT_EQ(first.back().size(), 3u);
  std::vector<NodeId> seen;
  for (const auto& batch : first) seen.insert(seen.end(), batch.begin(), batch.end());
  EXPECT_NE(seen, ids);  // shuffled
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, ids);
  EXPECT_EQ(graph_batch_order(ids, 5, true, b), first);
  EXPECT_NE(graph_batch_order(ids, 5, true, c), first);
  Rng d(1);
  EXPECT_EQ(graph_batch_order(ids, 30, false, d).front(), ids);
  EXPECT_THROW(graph_batch_order(ids, 0, false, d), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::graph
