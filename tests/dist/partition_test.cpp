// SPDX-License-Identifier: Apache-2.0
// Partitioning (METIS, random) and build_part: every edge once over the parts, data at the owner,
// the halo order and the send/receive plan consistent across parts, global degrees, METIS's cut
// against random's, determinism, and bad input.
#include "dist/partition.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "core/error.h"
#include "datasets/csbm.h"
#include "dist/part.h"

namespace moegnn::dist {
namespace {

using ::testing::HasSubstr;

// A community graph: 8 classes, 95 % of edges inside a class, so a good partition cuts few edges.
// Edge values are set (distinct per edge) so the tests can check they travel with their edge.
datasets::NodeDataset community(Index nodes = 1200, std::uint64_t seed = 5) {
  datasets::NodeDataset d = datasets::csbm({.num_nodes = nodes, .num_classes = 8,
                                            .num_features = 6, .avg_degree = 10.0,
                                            .homophily = 0.95, .seed = seed});
  Tensor values = Tensor::empty(d.graph.num_edges(), 1);
  for (Index e = 0; e < d.graph.num_edges(); ++e) values.data()[e] = 0.5f + static_cast<float>(e);
  d.graph = d.graph.with_values(values);
  return d;
}

std::vector<Part> all_parts(const datasets::NodeDataset& d, const IndexArray32& a, Index parts) {
  std::vector<Part> out;
  for (Index p = 0; p < parts; ++p) out.push_back(build_part(d, a, p, parts));
  return out;
}

TEST(Partition, EveryEdgeOnceWithItsValue) {
  const auto d = community();
  for (const auto method : {PartitionMethod::Metis, PartitionMethod::Random}) {
    const Index parts = 4;
    const auto a = partition_nodes(d.graph, d.train, {.num_parts = parts, .method = method});
    std::map<std::pair<std::int32_t, std::int32_t>, float> seen;
    for (const Part& part : all_parts(d, a, parts)) {
      ASSERT_EQ(part.graph.num_rows(), part.num_owned());
      ASSERT_EQ(part.graph.num_cols(), part.num_local());
      const auto to_global = [&](std::int32_t l) {
        return l < part.num_owned() ? part.owned[l] : part.halo[l - part.num_owned()];
      };
      for (Index i = 0; i < part.num_owned(); ++i) {
        const auto nbrs = part.graph.neighbors(i);
        EXPECT_TRUE(std::is_sorted(nbrs.begin(), nbrs.end()));
        const auto base = part.graph.row_ptr()[i];
        for (std::size_t k = 0; k < nbrs.size(); ++k) {
          const auto key = std::make_pair(to_global(nbrs[k]), part.owned[i]);
          ASSERT_EQ(seen.count(key), 0U) << "edge " << key.first << " -> " << key.second << " twice";
          seen[key] = part.graph.values().data()[base + static_cast<Index>(k)];
        }
      }
    }
    ASSERT_EQ(static_cast<Index>(seen.size()), d.graph.num_edges());
    for (Index v = 0; v < d.num_nodes(); ++v) {
      const auto nbrs = d.graph.neighbors(v);
      for (std::size_t k = 0; k < nbrs.size(); ++k) {
        const auto it = seen.find({nbrs[k], static_cast<std::int32_t>(v)});
        ASSERT_NE(it, seen.end());
        EXPECT_EQ(it->second, d.graph.values().data()[d.graph.row_ptr()[v] + static_cast<Index>(k)]);
      }
    }
  }
}

TEST(Partition, FeaturesLabelsAndSplitAtTheOwner) {
  const auto d = community();
  const auto a = partition_nodes(d.graph, d.train, {.num_parts = 3, .seed = 2});
  std::vector<int> owned_count(static_cast<std::size_t>(d.num_nodes()), 0);
  Index train = 0, val = 0, test = 0;
  for (const Part& part : all_parts(d, a, 3)) {
    EXPECT_EQ(part.num_global_nodes, d.num_nodes());
    EXPECT_EQ(part.num_classes, d.num_classes);
    ASSERT_EQ(part.features.rows(), part.num_owned());
    ASSERT_EQ(part.features.cols(), d.num_features());
    EXPECT_TRUE(std::is_sorted(part.owned.host().begin(), part.owned.host().end()));
    for (Index i = 0; i < part.num_owned(); ++i) {
      const auto v = part.owned[i];
      EXPECT_EQ(a[v], part.part_id);
      ++owned_count[static_cast<std::size_t>(v)];
      EXPECT_EQ(part.labels[i], d.labels[v]);
      for (Index f = 0; f < d.num_features(); ++f) {
        ASSERT_EQ(part.features.host()(i, f), d.features.host()(v, f));
      }
    }
    const auto check_split = [&](const IndexArray32& local, const IndexArray32& global, Index& n) {
      EXPECT_TRUE(std::is_sorted(local.host().begin(), local.host().end()));
      for (const auto l : local.host()) {
        ASSERT_LT(l, part.num_owned());
        const auto g = global.host();
        EXPECT_TRUE(std::binary_search(g.begin(), g.end(), part.owned[l]));
      }
      n += local.size();
    };
    check_split(part.train, d.train, train);
    check_split(part.val, d.val, val);
    check_split(part.test, d.test, test);
  }
  EXPECT_TRUE(std::all_of(owned_count.begin(), owned_count.end(), [](int c) { return c == 1; }));
  EXPECT_EQ(train, d.train.size());
  EXPECT_EQ(val, d.val.size());
  EXPECT_EQ(test, d.test.size());
}

TEST(Partition, HaloOrderSendListsAndDegrees) {
  const auto d = community();
  const Index parts = 4;
  const auto a = partition_nodes(d.graph, d.train,
                                 {.num_parts = parts, .method = PartitionMethod::Random, .seed = 9});
  const auto all = all_parts(d, a, parts);
  for (const Part& part : all) {
    ASSERT_EQ(part.halo_owner.size(), part.num_halo());
    ASSERT_EQ(static_cast<Index>(part.recv_offset.size()), parts + 1);
    ASSERT_EQ(static_cast<Index>(part.send.size()), parts);
    EXPECT_TRUE(part.send[static_cast<std::size_t>(part.part_id)].empty());
    EXPECT_EQ(part.recv_offset.front(), 0);
    EXPECT_EQ(part.recv_offset.back(), part.num_halo());
    for (Index j = 0; j < part.num_halo(); ++j) {
      EXPECT_EQ(part.halo_owner[j], a[part.halo[j]]);
      EXPECT_NE(part.halo_owner[j], part.part_id);
      EXPECT_GE(j, part.recv_offset[static_cast<std::size_t>(part.halo_owner[j])]);
      EXPECT_LT(j, part.recv_offset[static_cast<std::size_t>(part.halo_owner[j]) + 1]);
      if (j > 0) {
        EXPECT_LT(std::make_tuple(part.halo_owner[j - 1], part.halo[j - 1]),
                  std::make_tuple(part.halo_owner[j], part.halo[j]));
      }
    }
    ASSERT_EQ(part.global_degree.size(), part.num_local());
    for (Index l = 0; l < part.num_local(); ++l) {
      const auto v = l < part.num_owned() ? part.owned[l] : part.halo[l - part.num_owned()];
      EXPECT_EQ(part.global_degree[l], d.graph.degree(v));
    }
  }
  // p's send[q], mapped to global ids, is exactly q's halo range received from p.
  for (const Part& p : all) {
    for (const Part& q : all) {
      if (p.part_id == q.part_id) continue;
      const auto& send = p.send[static_cast<std::size_t>(q.part_id)];
      const auto begin = q.recv_offset[static_cast<std::size_t>(p.part_id)];
      const auto end = q.recv_offset[static_cast<std::size_t>(p.part_id) + 1];
      ASSERT_EQ(send.size(), end - begin) << p.part_id << " -> " << q.part_id;
      for (Index k = 0; k < send.size(); ++k) {
        ASSERT_LT(send[k], p.num_owned());
        EXPECT_EQ(p.owned[send[k]], q.halo[begin + k]);
      }
    }
  }
}

TEST(Partition, MetisCutsFarBelowRandomAndBalances) {
  const auto d = community(2000);
  const Index parts = 8;
  const auto metis = partition_nodes(d.graph, d.train, {.num_parts = parts, .seed = 1});
  const auto random = partition_nodes(
      d.graph, d.train, {.num_parts = parts, .method = PartitionMethod::Random, .seed = 1});
  const auto sm = partition_stats(d.graph, d.train, metis, parts);
  const auto sr = partition_stats(d.graph, d.train, random, parts);
  EXPECT_LT(sm.edge_cut * 3, sr.edge_cut) << sm.edge_cut << " vs " << sr.edge_cut;
  EXPECT_LT(sm.halo_volume * 2, sr.halo_volume);
  EXPECT_LT(sm.node_imbalance, 1.1);
  EXPECT_LT(sm.train_imbalance, 1.1);
  EXPECT_LE(sr.node_imbalance, 1.0 + static_cast<double>(parts) / 2000.0 + 1e-9);
  // The stats agree with the parts built from the assignment.
  std::int64_t halo = 0;
  Index train = 0;
  for (const Part& part : all_parts(d, metis, parts)) {
    EXPECT_EQ(part.num_halo(), sm.halo[static_cast<std::size_t>(part.part_id)]);
    EXPECT_EQ(part.num_owned(), sm.nodes[static_cast<std::size_t>(part.part_id)]);
    EXPECT_EQ(part.train.size(), sm.train[static_cast<std::size_t>(part.part_id)]);
    Index sent = 0;
    for (const auto& s : part.send) sent += s.size();
    EXPECT_EQ(sent, sm.send[static_cast<std::size_t>(part.part_id)]);
    halo += part.num_halo();
    train += part.train.size();
  }
  EXPECT_EQ(halo, sm.halo_volume);
  EXPECT_EQ(train, d.train.size());
  // Brute-force edge cut.
  std::int64_t cut = 0;
  for (Index v = 0; v < d.num_nodes(); ++v) {
    for (const auto u : d.graph.neighbors(v)) cut += metis[u] != metis[v] ? 1 : 0;
  }
  EXPECT_EQ(cut, sm.edge_cut);
}

TEST(Partition, TrainBalanceWeightMatters) {
  // Training nodes all in the first classes' ids: without the second constraint METIS may put them
  // on few parts; with it each part gets its share.
  auto d = community(2000, 7);
  std::vector<std::int32_t> train;
  for (Index v = 0; v < d.num_nodes(); ++v) {
    if (d.labels[v] < 2) train.push_back(static_cast<std::int32_t>(v));
  }
  d.train = IndexArray32(train);
  const auto a = partition_nodes(d.graph, d.train, {.num_parts = 4, .seed = 3});
  const double with = partition_stats(d.graph, d.train, a, 4).train_imbalance;
  const auto b = partition_nodes(d.graph, d.train, {.num_parts = 4, .seed = 3, .balance_train = false});
  const double without = partition_stats(d.graph, d.train, b, 4).train_imbalance;
  EXPECT_LT(with, 1.15);
  EXPECT_GT(without, with + 0.3) << "with the train weight " << with << ", without " << without;
}

TEST(Partition, DeterministicForASeed) {
  const auto d = community();
  for (const auto method : {PartitionMethod::Metis, PartitionMethod::Random}) {
    const PartitionOptions o{.num_parts = 5, .method = method, .seed = 11};
    EXPECT_EQ(partition_nodes(d.graph, d.train, o).to_vector(),
              partition_nodes(d.graph, d.train, o).to_vector());
  }
  const auto r1 = partition_nodes(d.graph, d.train,
                                  {.num_parts = 5, .method = PartitionMethod::Random, .seed = 1});
  const auto r2 = partition_nodes(d.graph, d.train,
                                  {.num_parts = 5, .method = PartitionMethod::Random, .seed = 2});
  EXPECT_NE(r1.to_vector(), r2.to_vector());
  const auto one = partition_nodes(d.graph, d.train, {.num_parts = 1});
  EXPECT_TRUE(std::all_of(one.host().begin(), one.host().end(), [](auto p) { return p == 0; }));
  const Part whole = build_part(d, one, 0, 1);
  EXPECT_EQ(whole.num_halo(), 0);
  EXPECT_EQ(whole.graph.num_edges(), d.graph.num_edges());
}

TEST(Partition, EdgelessGraphAndTinyGraphs) {
  // METIS gets an empty adjacency; every node still lands in a part, balanced.
  const graph::Csr empty(10, 10, graph::EdgeIds(std::vector<std::int64_t>(11, 0)), graph::NodeIds(0));
  const auto a = partition_nodes(empty, IndexArray32({0, 1, 2, 3}), {.num_parts = 2});
  const auto s = partition_stats(empty, IndexArray32({0, 1, 2, 3}), a, 2);
  EXPECT_EQ(s.nodes[0] + s.nodes[1], 10);
  EXPECT_LE(std::max(s.nodes[0], s.nodes[1]), 6);
  EXPECT_EQ(s.edge_cut, 0);
  EXPECT_EQ(s.halo_volume, 0);
  // As many parts as nodes.
  const auto d = community(100);
  const auto each = partition_nodes(d.graph, d.train,
                                    {.num_parts = 100, .method = PartitionMethod::Random});
  auto ids = each.to_vector();
  std::sort(ids.begin(), ids.end());
  for (std::int32_t i = 0; i < 100; ++i) EXPECT_EQ(ids[static_cast<std::size_t>(i)], i);
}

template <typename F>
void expect_throw(F&& f, const std::string& function, const std::string& detail) {
  try {
    f();
    ADD_FAILURE() << "no throw; expected " << detail;
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr(function));
    EXPECT_THAT(e.what(), HasSubstr(detail));
  }
}

TEST(Partition, BadInputThrowsNamingTheFunction) {
  const auto d = community(100);
  const auto a = partition_nodes(d.graph, d.train, {.num_parts = 2});
  expect_throw([&] { build_part(d, IndexArray32(std::vector<std::int32_t>(99, 0)), 0, 2); },
               "dist::build_part", "99 entries vs 100");
  auto bad = a.clone();
  bad.host()[7] = 2;
  expect_throw([&] { build_part(d, bad, 0, 2); }, "dist::build_part", "owner of node 7 out of range: 2 vs [0, 2)");
  expect_throw([&] { build_part(d, a, 2, 2); }, "dist::build_part", "part_id out of range: 2 vs [0, 2)");
  expect_throw([&] { build_part(d, a, -1, 2); }, "dist::build_part", "part_id out of range: -1");
  expect_throw([&] { partition_nodes(d.graph, d.train, {.num_parts = 0}); },
               "dist::partition_nodes", "num_parts 0 vs >= 1");
  expect_throw([&] { partition_nodes(d.graph, d.train, {.num_parts = 101}); },
               "dist::partition_nodes", "101 vs <= 100");
  expect_throw([&] { partition_nodes(d.graph, IndexArray32({5, 100}), {.num_parts = 2}); },
               "dist::partition_nodes", "train id out of range: 100");
  const graph::Csr wide(2, 3, graph::EdgeIds({0, 1, 2}), graph::NodeIds({2, 0}));
  expect_throw([&] { partition_nodes(wide, IndexArray32(), {.num_parts = 2}); },
               "dist::partition_nodes", "graph is not square: 2 × 3");
  expect_throw([&] { partition_stats(d.graph, d.train, bad, 2); }, "dist::partition_stats",
               "out of range: 2");
  expect_throw([&] { partition_stats(d.graph, d.train, IndexArray32({0, 1}), 2); },
               "dist::partition_stats", "2 entries vs 100");
}

}  // namespace
}  // namespace moegnn::dist
