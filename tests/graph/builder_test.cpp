// SPDX-License-Identifier: Apache-2.0
// Tests of graph/builder.h: hand-computed rows on tiny edge lists, every duplicate and self-loop
// policy against a naive std::stable_sort reference on random input, thread-count independence, and
// the bad-input messages.
#include "graph/builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>
#include <vector>

#include "core/parallel.h"
#include "core/rng.h"
#include "tests/graph/fixtures.h"

namespace moegnn::graph {
namespace {

using fixtures::csr_from_rows;
using fixtures::same_csr;
using ::testing::HasSubstr;

using Ids = std::vector<NodeId>;
using Weights = std::vector<float>;

Csr build(const Ids& src, const Ids& dst, const Weights& w = {}, const BuildOptions& o = {}) {
  return from_coo(src, dst, w, o);
}

// Naive reference: list every edge (reverse edges after the forward ones), stable-sort by
// (dst, src), merge runs, then apply the loop policy row by row.
Csr reference(const Ids& src, const Ids& dst, const Weights& w, const BuildOptions& o,
              Index n) {
  struct E { NodeId d, s; float w; };
  std::vector<E> edges;
  const std::size_t m = src.size();
  for (std::size_t i = 0; i < m; ++i) edges.push_back({dst[i], src[i], w.empty() ? 0 : w[i]});
  if (o.symmetric)
    for (std::size_t i = 0; i < m; ++i) edges.push_back({src[i], dst[i], w.empty() ? 0 : w[i]});
  std::stable_sort(edges.begin(), edges.end(),
                   [](const E& a, const E& b) { return std::tie(a.d, a.s) < std::tie(b.d, b.s); });
  std::vector<Ids> rows(static_cast<std::size_t>(n));
  std::vector<Weights> vals(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const E& e = edges[i];
    auto& row = rows[e.d];
    auto& val = vals[e.d];
    const bool repeat = o.duplicates != Duplicates::Keep && !row.empty() && row.back() == e.s;
    if (repeat) {
      if (o.duplicates == Duplicates::Sum) val.back() += e.w;
      continue;
    }
    row.push_back(e.s);
    val.push_back(e.w);
  }
  for (Index r = 0; r < n; ++r) {
    auto& row = rows[r];
    auto& val = vals[r];
    const bool has = std::find(row.begin(), row.end(), r) != row.end();
    const bool drop = o.self_loops == SelfLoops::Remove || o.self_loops == SelfLoops::Add;
    if (drop) {
      for (std::size_t k = row.size(); k-- > 0;)
        if (row[k] == r) {
          row.erase(row.begin() + static_cast<std::ptrdiff_t>(k));
          val.erase(val.begin() + static_cast<std::ptrdiff_t>(k));
        }
    }
    const bool add = o.self_loops == SelfLoops::Add || (o.self_loops == SelfLoops::AddRemaining && !has);
    if (add) {
      const auto at = std::lower_bound(row.begin(), row.end(), static_cast<NodeId>(r)) - row.begin();
      row.insert(row.begin() + at, static_cast<NodeId>(r));
      val.insert(val.begin() + at, o.self_loop_value);
    }
  }
  return w.empty() ? csr_from_rows(rows) : csr_from_rows(rows, -1, vals);
}

// Input edges:  0 -> 1 (w 1), 2 -> 1 (w 2), 0 -> 1 (w 4), 1 -> 1 (w 8), 3 -> 0 (w 16)
//
//     3 ──> 0 ══> 1 <── 2        (══> : the edge 0 -> 1 twice)
//                 ↺
const Ids kSrc{0, 2, 0, 1, 3};
const Ids kDst{1, 1, 1, 1, 0};
const Weights kW{1, 2, 4, 8, 16};

TEST(Builder, MergesDuplicatesBySum) {
  const Csr g = build(kSrc, kDst, kW);
  // row 0: {3}; row 1: {0 (1 + 4), 1 (8), 2 (2)}; rows 2, 3: empty.
  EXPECT_TRUE(same_csr(g, csr_from_rows({{3}, {0, 1, 2}, {}, {}}, -1, {{16}, {5, 8, 2}, {}, {}})));
}

TEST(Builder, KeepFirstKeepsTheEarliestWeight) {
  BuildOptions o;
  o.duplicates = Duplicates::KeepFirst;
  const Csr g = build(kSrc, kDst, kW, o);
  EXPECT_TRUE(same_csr(g, csr_from_rows({{3}, {0, 1, 2}, {}, {}}, -1, {{16}, {1, 8, 2}, {}, {}})));
}

TEST(Builder, KeepLeavesMultiEdgesInInputOrder) {
  BuildOptions o;
  o.duplicates = Duplicates::Keep;
  const Csr g = build(kSrc, kDst, kW, o);
  EXPECT_TRUE(
      same_csr(g, csr_from_rows({{3}, {0, 0, 1, 2}, {}, {}}, -1, {{16}, {1, 4, 8, 2}, {}, {}})));
}

TEST(Builder, UnweightedMergeDropsDuplicatesWithoutValues) {
  const Csr g = build(kSrc, kDst);
  EXPECT_FALSE(g.has_values());
  EXPECT_TRUE(same_csr(g, csr_from_rows({{3}, {0, 1, 2}, {}, {}})));
}

TEST(Builder, SymmetricAddsReverseEdges) {
  BuildOptions o;
  o.symmetric = true;
  const Csr g = build(kSrc, kDst, kW, o);
  // 0: {1 (1 + 4, reverse of 0 -> 1), 3 (16)}; 1: {0 (5), 1 (8 + 8: loop and its reverse), 2 (2)};
  // 2: {1 (2)}; 3: {0 (16)}.
  EXPECT_TRUE(same_csr(
      g, csr_from_rows({{1, 3}, {0, 1, 2}, {1}, {0}}, -1, {{5, 16}, {5, 16, 2}, {2}, {16}})));
}

TEST(Builder, SelfLoopPolicies) {
  BuildOptions o;
  o.self_loop_value = 0.5f;
  o.self_loops = SelfLoops::Remove;
  EXPECT_TRUE(same_csr(build(kSrc, kDst, kW, o),
                       csr_from_rows({{3}, {0, 2}, {}, {}}, -1, {{16}, {5, 2}, {}, {}})));
  o.self_loops = SelfLoops::Add;  // the drawn loop 1 -> 1 (8) is replaced by 0.5
  EXPECT_TRUE(same_csr(build(kSrc, kDst, kW, o),
                       csr_from_rows({{0, 3}, {0, 1, 2}, {2}, {3}}, -1,
                                     {{0.5f, 16}, {5, 0.5f, 2}, {0.5f}, {0.5f}})));
  o.self_loops = SelfLoops::AddRemaining;  // the drawn loop keeps its weight 8
  EXPECT_TRUE(same_csr(build(kSrc, kDst, kW, o),
                       csr_from_rows({{0, 3}, {0, 1, 2}, {2}, {3}}, -1,
                                     {{0.5f, 16}, {5, 8, 2}, {0.5f}, {0.5f}})));
}

TEST(Builder, Int64InputMatchesInt32) {
  const std::vector<std::int64_t> src(kSrc.begin(), kSrc.end());
  const std::vector<std::int64_t> dst(kDst.begin(), kDst.end());
  BuildOptions o;
  o.symmetric = true;
  o.self_loops = SelfLoops::Add;
  EXPECT_TRUE(same_csr(from_coo(std::span<const std::int64_t>(src), std::span<const std::int64_t>(dst),
                                std::span<const float>(kW), o),
                       build(kSrc, kDst, kW, o)));
  EXPECT_TRUE(same_csr(from_coo(EdgeIds(src), EdgeIds(dst), Tensor::from_vector(5, 1, kW), o),
                       build(kSrc, kDst, kW, o)));
  EXPECT_TRUE(same_csr(from_coo(src, dst, kW, o), build(kSrc, kDst, kW, o)));
  EXPECT_TRUE(same_csr(from_coo(std::span<const NodeId>(kSrc), std::span<const NodeId>(kDst),
                                std::span<const float>(kW), o),
                       build(kSrc, kDst, kW, o)));
}

TEST(Builder, InfersOrTakesTheNodeCount) {
  EXPECT_EQ(build(kSrc, kDst).num_nodes(), 4);
  BuildOptions o;
  o.num_nodes = 7;
  const Csr g = build(kSrc, kDst, {}, o);
  EXPECT_EQ(g.num_rows(), 7);
  EXPECT_EQ(g.num_cols(), 7);
  EXPECT_EQ(g.num_edges(), 4);
  const Csr empty = build({}, {});
  EXPECT_EQ(empty.num_nodes(), 0);
  o.self_loops = SelfLoops::Add;
  EXPECT_TRUE(same_csr(build({}, {}, {}, o), csr_from_rows({{0}, {1}, {2}, {3}, {4}, {5}, {6}})));
}

TEST(Builder, BipartiteShape) {
  // users 0..1 -> items 0..2 stored as 3 item rows × 2 user columns
  BuildOptions o;
  o.num_src_nodes = 2;
  const Csr g = build({1, 0, 1}, {2, 2, 0}, {}, o);
  EXPECT_EQ(g.num_rows(), 3);
  EXPECT_EQ(g.num_cols(), 2);
  EXPECT_TRUE(same_csr(g, csr_from_rows({{1}, {}, {0, 1}}, 2)));
}

TEST(Builder, MatchesNaiveReferenceOnRandomInput) {
  Rng rng(7);
  const Index n = 300;
  const std::size_t m = 40000;  // enough for several sort chunks
  Ids src(m), dst(m);
  Weights w(m);
  for (std::size_t i = 0; i < m; ++i) {
    src[i] = static_cast<NodeId>(rng.below(n));
    dst[i] = static_cast<NodeId>(rng.below(n));
    w[i] = rng.uniform(-1, 1);
  }
  for (const auto dup : {Duplicates::Sum, Duplicates::KeepFirst, Duplicates::Keep}) {
    for (const auto loops :
         {SelfLoops::Keep, SelfLoops::Remove, SelfLoops::Add, SelfLoops::AddRemaining}) {
      for (const bool symmetric : {false, true}) {
        BuildOptions o;
        o.num_nodes = n;
        o.duplicates = dup;
        o.self_loops = loops;
        o.symmetric = symmetric;
        o.self_loop_value = 3;
        SCOPED_TRACE(::testing::PrintToString(std::make_tuple(static_cast<int>(dup),
                                                            static_cast<int>(loops), symmetric)));
        EXPECT_TRUE(same_csr(build(src, dst, w, o), reference(src, dst, w, o, n)));
        if (dup == Duplicates::Sum) {  // unweighted: the structure alone, once per loop policy
          EXPECT_TRUE(same_csr(build(src, dst, {}, o), reference(src, dst, {}, o, n)));
        }
      }
    }
  }
}

TEST(Builder, SameResultOnAnyThreadCount) {
  Rng rng(11);
  const std::size_t m = 200000;
  Ids src(m), dst(m);
  Weights w(m);
  for (std::size_t i = 0; i < m; ++i) {
    src[i] = static_cast<NodeId>(rng.below(5000));
    dst[i] = static_cast<NodeId>(rng.below(5000));
    w[i] = rng.uniform();
  }
  BuildOptions o;
  o.symmetric = true;
  set_num_threads(1);
  const Csr one = build(src, dst, w, o);
  set_num_threads(0);
  const Csr all = build(src, dst, w, o);
  EXPECT_TRUE(same_csr(one, all));
  EXPECT_TRUE(fixtures::rows_sorted(all));
}

TEST(Builder, RejectsMismatchedSizes) {
  EXPECT_THAT([] { build({0, 1}, {1}); },
              ::testing::ThrowsMessage<InvalidArgument>(HasSubstr("src has 2 ids vs dst 1")));
  EXPECT_THAT([] { build({0, 1}, {1, 0}, {1.0f}); },
              ::testing::ThrowsMessage<InvalidArgument>(HasSubstr("edge_weight has 1 values vs 2")));
  EXPECT_THROW(from_coo(NodeIds{0, 1}, NodeIds{1, 0}, Tensor::ones(2, 2)), InvalidArgument);
}

TEST(Builder, RejectsIdsOutOfRangeNamingPositionAndValue) {
  BuildOptions o;
  o.num_nodes = 3;
  EXPECT_THAT([&] { build({0, 1, 2, 3}, {1, 1, 1, 1}, {}, o); },
              ::testing::ThrowsMessage<InvalidArgument>(HasSubstr("src[3] = 3 out of range vs [0, 3)")));
  EXPECT_THAT([&] { build({0, 1}, {0, -2}, {}, o); },
              ::testing::ThrowsMessage<InvalidArgument>(HasSubstr("dst[1] = -2 out of range")));
  EXPECT_THAT([] { build({0, -1}, {0, 0}); },
              ::testing::ThrowsMessage<InvalidArgument>(HasSubstr("src[1] = -1")));
  const std::vector<std::int64_t> big{0, std::int64_t{1} << 40};
  EXPECT_THAT([&] { from_coo(std::span<const std::int64_t>(big), std::span<const std::int64_t>(big)); },
              ::testing::ThrowsMessage<InvalidArgument>(HasSubstr("int32 id range")));
}

TEST(Builder, RejectsBadOptions) {
  BuildOptions o;
  o.num_nodes = std::int64_t{1} << 33;
  EXPECT_THROW(build({0}, {0}, {}, o), InvalidArgument);
  o.num_nodes = 3;
  o.num_src_nodes = 2;
  o.symmetric = true;
  EXPECT_THAT([&] { build({0}, {0}, {}, o); },
              ::testing::ThrowsMessage<InvalidArgument>(HasSubstr("symmetric needs a square graph")));
  o.symmetric = false;
  o.self_loops = SelfLoops::Add;
  EXPECT_THROW(build({0}, {0}, {}, o), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::graph
