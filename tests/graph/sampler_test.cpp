// SPDX-License-Identifier: Apache-2.0
// Tests of graph/sampler.h and graph/seed_batches.h: block structure on a hand-drawn star (full
// fanout by hand), the invariants every block must satisfy on a random graph (edges exist in the
// parent, fanout bounds, no repeats, first num_dst sources are the destinations, layer chaining),
// thread-count independence, uniformity of the draws, and the batch iterator.
#include "graph/sampler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/parallel.h"
#include "graph/generators.h"
#include "graph/seed_batches.h"
#include "tests/graph/fixtures.h"

namespace moegnn::graph {
namespace {

using fixtures::csr_from_rows;
using fixtures::same_csr;

// "star_chain": 1, 2, 3 point at 0; 4 points at 1.
//
//     4 ──> 1 ──> 0 <── 3
//                 ^
//                 │
//                 2
Csr star_chain() { return csr_from_rows({{1, 2, 3}, {4}, {}, {}, {}}); }

TEST(Sampler, FullFanoutBlocksByHand) {
  Rng rng(1);
  const std::vector<int> fanouts{-1, -1};
  const auto blocks = sample_blocks(star_chain(), NodeIds{0}, fanouts, rng);
  ASSERT_EQ(blocks.size(), 2u);
  // Output block: dst {0}; sources 0 (itself), then 1, 2, 3 in first-appearance order.
  const Block& out = blocks[1];
  EXPECT_EQ(out.num_dst, 1);
  EXPECT_EQ(out.src_nodes.to_vector(), (std::vector<NodeId>{0, 1, 2, 3}));
  EXPECT_TRUE(same_csr(out.adj, csr_from_rows({{1, 2, 3}}, 4)));
  // Input block: dst {0, 1, 2, 3}; node 1's in-neighbour 4 is new.
  const Block& in = blocks[0];
  EXPECT_EQ(in.num_dst, 4);
  EXPECT_EQ(in.src_nodes.to_vector(), (std::vector<NodeId>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(same_csr(in.adj, csr_from_rows({{1, 2, 3}, {4}, {}, {}}, 5)));
  EXPECT_EQ(in.edge_ids.to_vector(), (std::vector<EdgeId>{0, 1, 2, 3}));
}

// Every invariant a block list must satisfy for `seeds` and `fanouts` on g.
// Rows are sorted by local id (the sampler), or keep the parent's edge order (full_neighbor_blocks).
void expect_valid_blocks(const Csr& g, const std::vector<NodeId>& seeds,
                         const std::vector<int>& fanouts, const std::vector<Block>& blocks,
                         bool parent_order = false) {
  ASSERT_EQ(blocks.size(), fanouts.size());
  std::vector<NodeId> dst = seeds;
  const auto parent_cols = g.col_idx().to_vector();
  for (std::size_t l = blocks.size(); l-- > 0;) {
    const Block& b = blocks[l];
    const auto src = b.src_nodes.to_vector();
    ASSERT_EQ(b.num_dst, static_cast<Index>(dst.size()));
    ASSERT_TRUE(std::equal(dst.begin(), dst.end(), src.begin()));
    EXPECT_EQ(std::set<NodeId>(src.begin(), src.end()).size(), src.size()) << "repeated source";
    EXPECT_EQ(b.adj.num_rows(), b.num_dst);
    EXPECT_EQ(b.adj.num_cols(), b.num_src());
    const auto ids = b.edge_ids.to_vector();
    if (parent_order) {  // each row's parent edge ids ascend
      const auto ptr = b.adj.row_ptr().to_vector();
      for (Index i = 0; i < b.num_dst; ++i)
        EXPECT_TRUE(std::is_sorted(ids.begin() + ptr[i], ids.begin() + ptr[i + 1])) << i;
    } else {
      EXPECT_TRUE(fixtures::rows_sorted(b.adj));
    }
    for (Index i = 0; i < b.num_dst; ++i) {
      const auto row = b.adj.neighbors(i);
      const Index deg = g.degree(dst[i]);
      const Index want = fanouts[l] < 0 ? deg : std::min<Index>(deg, fanouts[l]);
      EXPECT_EQ(static_cast<Index>(row.size()), want);
      const EdgeId first = g.row_ptr()[dst[i]];
      for (std::size_t k = 0; k < row.size(); ++k) {
        const EdgeId e = ids[static_cast<std::size_t>(b.adj.row_ptr()[i]) + k];
        ASSERT_GE(e, first);  // the parent edge lies in the destination's row...
        ASSERT_LT(e, first + deg);
        ASSERT_EQ(parent_cols[e], src[row[k]]);  // ...and points from the block's source
      }
    }
    // Every source is used by some edge or is a destination.
    std::vector<bool> used(src.size(), false);
    for (Index i = 0; i < b.num_dst; ++i) used[i] = true;
    for (const NodeId c : b.adj.col_idx().to_vector()) used[c] = true;
    EXPECT_TRUE(std::all_of(used.begin(), used.end(), [](bool u) { return u; }));
    dst = src;
  }
}

TEST(Sampler, BlocksAreValidOnARandomGraph) {
  RmatOptions o;
  o.num_nodes = 5000;
  o.num_edges = 60000;
  const Csr g = rmat(o);
  std::vector<NodeId> seeds;
  for (NodeId v = 0; v < 5000; v += 37) seeds.push_back(v);
  const std::vector<int> fanouts{15, -1, 40, 0, 5};  // 40 exercises the flag-array path
  NeighborSampler sampler(g, fanouts);
  Rng rng(9);
  for (int batch = 0; batch < 3; ++batch)
    expect_valid_blocks(g, seeds, fanouts, sampler.sample(NodeIds(seeds), rng));
}

TEST(Sampler, SameBlocksOnAnyThreadCountAndPerSeed) {
  const Csr g = arxiv_scale_graph(2);
  std::vector<NodeId> seeds;
  for (NodeId v = 0; v < 169343; v += 83) seeds.push_back(v);
  const std::vector<int> fanouts{15, 10, 5};
  Rng a(5), b(5), c(6);
  set_num_threads(1);
  const auto one = sample_blocks(g, NodeIds(seeds), fanouts, a);
  set_num_threads(0);
  const auto all = sample_blocks(g, NodeIds(seeds), fanouts, b);
  const auto other = sample_blocks(g, NodeIds(seeds), fanouts, c);
  for (std::size_t l = 0; l < fanouts.size(); ++l) {
    EXPECT_TRUE(same_csr(one[l].adj, all[l].adj)) << l;
    EXPECT_EQ(one[l].src_nodes.to_vector(), all[l].src_nodes.to_vector()) << l;
    EXPECT_EQ(one[l].edge_ids.to_vector(), all[l].edge_ids.to_vector()) << l;
  }
  EXPECT_NE(all[0].src_nodes.to_vector(), other[0].src_nodes.to_vector());
}

TEST(Sampler, DrawsAreUniformWithoutReplacement) {
  // One destination with 10 in-neighbours, fanout 3, 20000 batches: each neighbour is drawn with
  // probability 3/10, i.e. ~6000 times (standard deviation ~65).
  std::vector<NodeId> hub;
  for (NodeId v = 1; v <= 10; ++v) hub.push_back(v);
  const Csr g = csr_from_rows({hub, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}});
  NeighborSampler sampler(g, {3});
  Rng rng(2);
  std::vector<int> hits(11, 0);
  for (int t = 0; t < 20000; ++t) {
    const auto blocks = sampler.sample(NodeIds{0}, rng);
    const auto src = blocks[0].src_nodes.to_vector();
    ASSERT_EQ(src.size(), 4u);
    for (std::size_t k = 1; k < src.size(); ++k) ++hits[src[k]];
  }
  for (NodeId v = 1; v <= 10; ++v) EXPECT_NEAR(hits[v], 6000, 400) << v;
}

TEST(Sampler, RejectsBadInput) {
  const Csr g = star_chain();
  Rng rng(1);
  EXPECT_THROW(NeighborSampler(g, {}), InvalidArgument);
  EXPECT_THROW(NeighborSampler(g, {5, -2}), InvalidArgument);
  EXPECT_THROW(NeighborSampler(csr_from_rows({{0, 2}, {1}}, 3), {5}), InvalidArgument);
  NeighborSampler sampler(g, {2});
  EXPECT_THAT([&] { sampler.sample(NodeIds{0, 7}, rng); },
              ::testing::ThrowsMessage<InvalidArgument>(::testing::HasSubstr("seeds[1] = 7 out of range")));
  EXPECT_THAT([&] { sampler.sample(NodeIds{1, 0, 1}, rng); },
              ::testing::ThrowsMessage<InvalidArgument>(::testing::HasSubstr("seeds[2] = 1 repeats")));
  // The sampler is still usable after a rejected call.
  expect_valid_blocks(g, {1, 0}, {2}, sampler.sample(NodeIds{1, 0}, rng));
}

TEST(FullNeighborBlocks, ByHandNewSourcesInIdOrder) {
  // Seeds {1, 0}: node 0's in-neighbours 1 (a destination), 2, 3; node 1's in-neighbour 4.
  const auto blocks = full_neighbor_blocks(star_chain(), NodeIds{1, 0}, 2);
  ASSERT_EQ(blocks.size(), 2u);
  const Block& out = blocks[1];
  EXPECT_EQ(out.num_dst, 2);
  EXPECT_EQ(out.src_nodes.to_vector(), (std::vector<NodeId>{1, 0, 2, 3, 4}));
  EXPECT_TRUE(same_csr(out.adj, csr_from_rows({{4}, {0, 2, 3}}, 5)));  // parent order: 1, 2, 3
  EXPECT_EQ(out.edge_ids.to_vector(), (std::vector<EdgeId>{3, 0, 1, 2}));
  const Block& in = blocks[0];
  EXPECT_EQ(in.src_nodes.to_vector(), (std::vector<NodeId>{1, 0, 2, 3, 4}));
  EXPECT_TRUE(same_csr(in.adj, csr_from_rows({{4}, {0, 2, 3}, {}, {}, {}}, 5)));
  // Seeds {2, 0}: node 0's row keeps the parent order 1, 2, 3 = local 2, 0, 3 (not sorted).
  const auto other = full_neighbor_blocks(star_chain(), NodeIds{2, 0}, 1);
  EXPECT_EQ(other[0].src_nodes.to_vector(), (std::vector<NodeId>{2, 0, 1, 3}));
  EXPECT_EQ(other[0].adj.col_idx().to_vector(), (std::vector<NodeId>{2, 0, 3}));
}

TEST(FullNeighborBlocks, ValidSameOnAnyThreadCountAndAsTheSampler) {
  const Csr g = arxiv_scale_graph(2);
  std::vector<NodeId> seeds;
  for (NodeId v = 169342; v >= 0; v -= 97) seeds.push_back(v);  // descending: not id order
  set_num_threads(1);
  const auto one = full_neighbor_blocks(g, NodeIds(seeds), 2);
  set_num_threads(0);
  const auto all = full_neighbor_blocks(g, NodeIds(seeds), 2);
  expect_valid_blocks(g, seeds, {-1, -1}, all, true);
  const std::vector<NodeId> ascending(seeds.rbegin(), seeds.rend());
  expect_valid_blocks(g, ascending, {-1, -1}, full_neighbor_blocks(g, NodeIds(ascending), 2), true);
  Rng rng(3);
  const auto sampled = sample_blocks(g, NodeIds(seeds), std::vector<int>{-1, -1}, rng);
  for (std::size_t l = 0; l < 2; ++l) {
    EXPECT_TRUE(same_csr(one[l].adj, all[l].adj)) << l;
    EXPECT_EQ(one[l].src_nodes.to_vector(), all[l].src_nodes.to_vector()) << l;
    EXPECT_EQ(one[l].edge_ids.to_vector(), all[l].edge_ids.to_vector()) << l;
    // The same node sets as fanout -1 sampling (only the order of new sources differs).
    auto a = all[l].src_nodes.to_vector();
    auto b = sampled[l].src_nodes.to_vector();
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    EXPECT_EQ(a, b) << l;
    EXPECT_EQ(all[l].adj.num_edges(), sampled[l].adj.num_edges()) << l;
  }
}

TEST(FullNeighborBlocks, KeepsEdgeValues) {
  const Csr raw = star_chain();
  const Csr g = raw.with_values(Tensor::from_rows({{0.5f}, {1.5f}, {2.5f}, {3.5f}}));
  const auto blocks = full_neighbor_blocks(g, NodeIds{1, 0}, 1);
  ASSERT_TRUE(blocks[0].adj.has_values());
  const Tensor& v = blocks[0].adj.values();
  EXPECT_EQ(v.rows(), 4);
  const auto ids = blocks[0].edge_ids.to_vector();
  for (Index k = 0; k < v.rows(); ++k) EXPECT_EQ(v.data()[k], 0.5f + static_cast<float>(ids[static_cast<std::size_t>(k)]));
}

TEST(FullNeighborBlocks, RejectsBadInput) {
  const Csr g = star_chain();
  EXPECT_THAT([&] { full_neighbor_blocks(g, NodeIds{0}, 0); },
              ::testing::ThrowsMessage<InvalidArgument>(::testing::HasSubstr("num_layers is 0")));
  EXPECT_THAT([&] { full_neighbor_blocks(g, NodeIds{0, 9}, 2); },
              ::testing::ThrowsMessage<InvalidArgument>(::testing::HasSubstr("seeds[1] = 9 out of range")));
  EXPECT_THAT([&] { full_neighbor_blocks(g, NodeIds{3, 1, 3}, 2); },
              ::testing::ThrowsMessage<InvalidArgument>(::testing::HasSubstr("seeds[2] = 3 repeats")));
  EXPECT_THROW(full_neighbor_blocks(csr_from_rows({{0, 2}, {1}}, 3), NodeIds{0}, 1), InvalidArgument);
}

TEST(SeedBatches, ShufflesDeterministicallyPerEpoch) {
  std::vector<NodeId> nodes;
  for (NodeId v = 100; v < 110; ++v) nodes.push_back(v);
  SeedBatches batches(NodeIds(nodes), {4, true, false, 7});
  EXPECT_EQ(batches.num_batches(), 3);
  std::vector<NodeId> epoch0;
  for (const NodeIds& b : batches) {
    const auto v = b.to_vector();
    epoch0.insert(epoch0.end(), v.begin(), v.end());
  }
  EXPECT_EQ(batches.batch(2).size(), 2);
  EXPECT_TRUE(std::is_permutation(epoch0.begin(), epoch0.end(), nodes.begin()));
  EXPECT_NE(epoch0, nodes);  // 10! orders: the identity is vanishingly unlikely
  batches.set_epoch(1);
  std::vector<NodeId> epoch1;
  for (Index i = 0; i < batches.num_batches(); ++i) {
    const auto v = batches.batch(i).to_vector();
    epoch1.insert(epoch1.end(), v.begin(), v.end());
  }
  EXPECT_NE(epoch0, epoch1);
  batches.set_epoch(0);
  EXPECT_EQ(batches.batch(0).to_vector(), std::vector<NodeId>(epoch0.begin(), epoch0.begin() + 4));
}

TEST(SeedBatches, InOrderAndDropLast) {
  SeedBatches batches(NodeIds{5, 6, 7, 8, 9}, {2, false, true, 1});
  EXPECT_EQ(batches.num_batches(), 2);
  EXPECT_EQ(batches.batch(1).to_vector(), (std::vector<NodeId>{7, 8}));
  EXPECT_THROW(batches.batch(2), InvalidArgument);
  EXPECT_THROW(SeedBatches(NodeIds{1}, {0, true, false, 1}), InvalidArgument);
  EXPECT_EQ(SeedBatches(NodeIds{}, {}).num_batches(), 0);
}

}  // namespace
}  // namespace moegnn::graph
