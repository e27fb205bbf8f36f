// SPDX-License-Identifier: Apache-2.0
// Tests of graph/boost_adapter.h against Boost.Graph run on an independently built
// boost::adjacency_list holding the same edges reversed (the view walks rows, i.e. dst -> src), plus
// hand-computed results on the tiny graphs and bad inputs.
#include "graph/boost_adapter.h"

#include <gtest/gtest.h>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/strong_components.hpp>
#include <cmath>
#include <limits>
#include <map>

#include "graph/generators.h"
#include "graph/subgraph.h"
#include "tests/graph/fixtures.h"

namespace moegnn::graph {
namespace {

using fixtures::csr_from_rows;
using Directed = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                                       boost::property<boost::edge_weight_t, double>>;
using Undirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

// The oracle: row r's entry c becomes the adjacency_list edge r -> c.
Directed reversed_adjacency_list(const Csr& g) {
  Directed out(static_cast<std::size_t>(g.num_nodes()));
  const auto ptr = g.row_ptr().to_vector();
  const auto col = g.col_idx().to_vector();
  const auto val = fixtures::values_of(g);
  for (std::size_t r = 0; r + 1 < ptr.size(); ++r)
    for (EdgeId k = ptr[r]; k < ptr[r + 1]; ++k)
      boost::add_edge(r, static_cast<std::size_t>(col[k]), val.empty() ? 1.0 : val[k], out);
  return out;
}

// Label vectors describe the same partition (a bijection between the labels).
bool same_partition(const std::vector<NodeId>& a, const std::vector<int>& b) {
  if (a.size() != b.size()) return false;
  std::map<NodeId, int> ab;
  std::map<int, NodeId> ba;
  for (std::size_t v = 0; v < a.size(); ++v) {
    if (ab.emplace(a[v], b[v]).first->second != b[v]) return false;
    if (ba.emplace(b[v], a[v]).first->second != a[v]) return false;
  }
  return true;
}

Csr test_graph() {
  RmatOptions o;
  o.num_nodes = 3000;
  o.num_edges = 4000;  // sparse enough for many components
  o.symmetric = false;
  o.self_loops = false;
  return rmat(o);
}

TEST(BoostAdapter, BfsOnTheDiamondByHand) {
  // Hops to 4 against the edge direction: 3 is 1 away, 1 and 2 are 2, 0 is 3.
  EXPECT_EQ(bfs_distances(fixtures::diamond(), 4), (std::vector<Index>{3, 2, 2, 1, 0}));
  EXPECT_EQ(bfs_distances(fixtures::diamond(), 1), (std::vector<Index>{1, 0, -1, -1, -1}));
  // Forward distances from 0 through the transpose.
  EXPECT_EQ(bfs_distances(fixtures::diamond().transpose(), 0), (std::vector<Index>{0, 1, 1, 2, 3}));
}

TEST(BoostAdapter, BfsMatchesAdjacencyList) {
  const Csr g = test_graph();
  const Directed oracle = reversed_adjacency_list(g);
  for (const NodeId source : {0, 17, 2999}) {
    std::vector<Index> want(3000, -1);
    want[source] = 0;
    boost::breadth_first_search(oracle, source,
                                boost::visitor(boost::make_bfs_visitor(boost::record_distances(
                                    want.data(), boost::on_tree_edge()))));
    EXPECT_EQ(bfs_distances(g, source), want) << source;
  }
}

TEST(BoostAdapter, BfsAgreesWithKHopNodes) {
  const Csr g = test_graph();
  const auto dist = bfs_distances(g, 5);
  for (int k = 0; k <= 4; ++k) {
    std::vector<NodeId> within;
    for (NodeId v = 0; v < 3000; ++v)
      if (dist[v] >= 0 && dist[v] <= k) within.push_back(v);
    EXPECT_EQ(k_hop_nodes(g, NodeIds{5}, k).to_vector(), within) << k;
  }
}

TEST(BoostAdapter, DijkstraMatchesAdjacencyList) {
  // weighted_path by hand: 0 ─1─ 1 ─2─ 2 ─4─ 3, distances to 0 are 0, 1, 3, 7.
  EXPECT_EQ(dijkstra_distances(fixtures::weighted_path(), 0), (std::vector<double>{0, 1, 3, 7}));
  Csr g = test_graph();
  std::vector<float> w(static_cast<std::size_t>(g.num_edges()));
  for (std::size_t k = 0; k < w.size(); ++k) w[k] = static_cast<float>((k * 7919) % 13) * 0.5f;
  g = g.with_values(Tensor::from_vector(g.num_edges(), 1, w));
  const Directed oracle = reversed_adjacency_list(g);
  std::vector<double> want(3000);
  boost::dijkstra_shortest_paths(oracle, 3, boost::distance_map(want.data()));
  const auto got = dijkstra_distances(g, 3);
  for (std::size_t v = 0; v < want.size(); ++v) {
    if (std::isinf(got[v])) {
      EXPECT_EQ(want[v], std::numeric_limits<double>::max()) << v;  // BGL's default "infinity"
    } else {
      EXPECT_DOUBLE_EQ(got[v], want[v]) << v;
    }
  }
}

TEST(BoostAdapter, ConnectedComponentsMatchAdjacencyList) {
  const auto labels = connected_components(fixtures::two_triangles());
  EXPECT_EQ(labels, (std::vector<NodeId>{0, 0, 0, 1, 1, 1}));
  const Csr g = test_graph();
  Undirected oracle(3000);
  const auto ptr = g.row_ptr().to_vector();
  const auto col = g.col_idx().to_vector();
  for (std::size_t r = 0; r < 3000; ++r)
    for (EdgeId k = ptr[r]; k < ptr[r + 1]; ++k) boost::add_edge(r, col[k], oracle);
  std::vector<int> want(3000);
  const int count = boost::connected_components(oracle, want.data());
  const auto got = connected_components(g);
  EXPECT_TRUE(same_partition(got, want));
  EXPECT_EQ(*std::max_element(got.begin(), got.end()) + 1, count);
  EXPECT_EQ(got[0], 0);
}

TEST(BoostAdapter, StrongComponentsMatchAdjacencyList) {
  // Diamond is acyclic: five singleton components, labelled in node order.
  EXPECT_EQ(strongly_connected_components(fixtures::diamond()), (std::vector<NodeId>{0, 1, 2, 3, 4}));
  // A 3-cycle 0 -> 1 -> 2 -> 0 plus a tail 2 -> 3.
  EXPECT_EQ(strongly_connected_components(csr_from_rows({{2}, {0}, {1}, {2}})),
            (std::vector<NodeId>{0, 0, 0, 1}));
  RmatOptions o;
  o.num_nodes = 2000;
  o.num_edges = 5000;
  o.symmetric = false;
  const Csr g = rmat(o);
  const Directed oracle = reversed_adjacency_list(g);
  std::vector<int> want(2000);
  boost::strong_components(oracle, want.data());
  EXPECT_TRUE(same_partition(strongly_connected_components(g), want));
}

TEST(BoostAdapter, RejectsBadInput) {
  const Csr g = fixtures::diamond();
  EXPECT_THROW(bfs_distances(g, 5), InvalidArgument);
  EXPECT_THROW(dijkstra_distances(g, -1), InvalidArgument);
  EXPECT_THROW(bfs_distances(csr_from_rows({{0, 2}, {1}}, 3), 0), InvalidArgument);
  EXPECT_THROW(connected_components(csr_from_rows({{0, 2}, {1}}, 3)), InvalidArgument);
  const Csr negative = csr_from_rows({{1}, {0}}, -1, {{-1}, {1}});
  EXPECT_THROW(dijkstra_distances(negative, 0), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::graph
