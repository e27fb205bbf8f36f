// SPDX-License-Identifier: Apache-2.0
// Tests of layers/ops/cn_aggregate.h: the sum over common neighbours against a dense loop (with
// and without weights), the gradient by central differences, the backward's scatter against its
// transpose gather, and bad inputs.
#include "layers/ops/cn_aggregate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "core/parallel.h"
#include "core/rng.h"
#include "graph/common_neighbors.h"
#include "layers/ops/cpu/cn_aggregate.h"
#include "tests/support/gradcheck.h"

namespace moegnn::ops {
namespace {

using graph::EdgeIds;
using graph::NodeIds;

// 3 pairs over 5 nodes: {1, 3}, {}, {0, 1, 4}.
graph::Csr pair_matrix(bool weighted) {
  Tensor w = weighted ? Tensor::from_rows({{0.5f}, {2.0f}, {1.0f}, {-1.0f}, {0.25f}}) : Tensor();
  return graph::Csr(3, 5, EdgeIds({0, 2, 2, 5}), NodeIds({1, 3, 0, 1, 4}), w);
}

TEST(CnAggregate, SumsTheRowsOfEachPairsNeighbours) {
  for (const bool weighted : {false, true}) {
    const graph::Csr c = pair_matrix(weighted);
    const Tensor x = support::random_tensor(5, 4, 3);
    const Tensor out = cn_aggregate(c, x);
    const auto xh = x.host();
    const float w[] = {0.5f, 2.0f, 1.0f, -1.0f, 0.25f};
    const int cols[] = {1, 3, 0, 1, 4};
    const int ptr[] = {0, 2, 2, 5};
    for (int b = 0; b < 3; ++b)
      for (int j = 0; j < 4; ++j) {
        float expected = 0.0f;
        for (int k = ptr[b]; k < ptr[b + 1]; ++k) expected += (weighted ? w[k] : 1.0f) * xh(cols[k], j);
        EXPECT_NEAR(out.host()(b, j), expected, 1e-6) << "pair " << b << " col " << j;
      }
  }
}

TEST(CnAggregate, GradientMatchesFiniteDifferences) {
  for (const bool weighted : {false, true}) {
    const graph::Csr c = pair_matrix(weighted);
    EXPECT_TRUE(support::gradient_matches(
        [&](Tape& tape, const std::vector<Var>& in) { return cn_aggregate(tape, c, in[0]); },
        {support::random_tensor(5, 3, 11)}));
  }
}

TEST(CnAggregate, GradientThroughCommonNeighboursOfAGraph) {
  // A 6-cycle with chords; pairs chosen to share neighbours, one repeated node across pairs.
  const graph::Csr g(6, 6, EdgeIds({0, 3, 5, 7, 10, 12, 14}),
                     NodeIds({1, 3, 5, 0, 2, 1, 3, 0, 2, 4, 3, 5, 0, 4}));
  const graph::PairNeighbors cn =
      graph::common_neighbors(g, {NodeIds({0, 1, 3, 0}), NodeIds({2, 3, 5, 4})});
  const graph::Csr c = cn.to_csr(6);
  ASSERT_GT(c.num_edges(), 0);
  EXPECT_TRUE(support::gradient_matches(
      [&](Tape& tape, const std::vector<Var>& in) { return cn_aggregate(tape, c, in[0]); },
      {support::random_tensor(6, 2, 5)}));
}

// The backward's two kernels: the scatter by column blocks and the gather over the transpose
// give the same bits (each dx element sums its terms in ascending pair order), on one thread and
// on several, with and without weights, F not a multiple of the block.
TEST(CnAggregate, ScatterBackwardEqualsTransposeGatherBitForBit) {
  Rng rng(8);
  const Index pairs = 300, nodes = 120, f = 100;
  std::vector<graph::EdgeId> ptr{0};
  std::vector<graph::NodeId> col;
  std::vector<float> val;
  for (Index b = 0; b < pairs; ++b) {
    for (Index u = 0; u < nodes; ++u)
      if (rng.uniform() < 0.2f) {
        col.push_back(static_cast<graph::NodeId>(u));
        val.push_back(rng.uniform());
      }
    ptr.push_back(static_cast<graph::EdgeId>(col.size()));
  }
  const Tensor dout = support::random_tensor(pairs, f, 9);
  const Tensor start = support::random_tensor(nodes, f, 10);
  for (const bool weighted : {false, true}) {
    const graph::Csr c(pairs, nodes, EdgeIds(ptr), NodeIds(col),
                       weighted ? Tensor::from_vector(static_cast<Index>(val.size()), 1, val)
                                : Tensor(),
                       graph::Validate::Trusted);
    const float* w = weighted ? c.values().data() : nullptr;
    Tensor gathered = start.clone();
    cpu::gather_sum(c.transpose().view(), w, weighted ? c.transpose_edge_ids().data() : nullptr,
                    dout, gathered, true);
    for (const int threads : {1, 0}) {
      set_num_threads(threads);
      Tensor scattered = start.clone();
      cpu::scatter_sum(c.view(), w, dout, scattered);
      set_num_threads(0);
      EXPECT_EQ(std::memcmp(scattered.data(), gathered.data(),
                            static_cast<std::size_t>(scattered.size()) * sizeof(float)),
                0)
          << "weighted " << weighted << ", threads " << threads;
    }
  }
}

TEST(CnAggregate, RejectsMismatchedRows) {
  const graph::Csr c = pair_matrix(false);
  try {
    cn_aggregate(c, Tensor::zeros(4, 2));
    FAIL() << "no throw";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), testing::HasSubstr("cn_aggregate"));
  }
}

}  // namespace
}  // namespace moegnn::ops
