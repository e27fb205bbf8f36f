// SPDX-License-Identifier: Apache-2.0
// Tests of graph/csr.h's backend-state slot (Csr::backend_state): made once per key and graph,
// shared by copies, dropped with the last copy, and not carried over to with_values() or to().
#include "graph/csr.h"

#include <gtest/gtest.h>

#include <memory>

#include "tests/graph/fixtures.h"

namespace moegnn::graph {
namespace {

using fixtures::csr_from_rows;

int made = 0;  // how many states the factories below have built
const char kKeyA = 0;
const char kKeyB = 0;

std::shared_ptr<void> make_edge_count(const Csr& g) {
  ++made;
  return std::make_shared<EdgeId>(g.num_edges());
}

TEST(Csr, BackendStateIsMadeOncePerKeyAndSharedByCopies) {
  made = 0;
  const Csr g = csr_from_rows({{1}, {0, 2}, {}});
  const std::shared_ptr<void> first = g.backend_state(&kKeyA, &make_edge_count);
  EXPECT_EQ(*static_cast<EdgeId*>(first.get()), 3);
  const Csr copy = g;  // copies share the cache, hence the state
  EXPECT_EQ(copy.backend_state(&kKeyA, &make_edge_count), first);
  EXPECT_EQ(made, 1);
  // Another key gets its own state.
  EXPECT_NE(g.backend_state(&kKeyB, &make_edge_count), first);
  EXPECT_EQ(made, 2);
  // New values mean new backend state (e.g. a descriptor over other values): it starts over.
  const Csr valued = g.with_values(Tensor::ones(3, 1));
  EXPECT_NE(valued.backend_state(&kKeyA, &make_edge_count), first);
  EXPECT_EQ(made, 3);
}

TEST(Csr, BackendStateDiesWithTheLastCopyOfTheGraph) {
  std::weak_ptr<void> state;
  {
    const Csr g = csr_from_rows({{1}, {0}});
    state = g.backend_state(&kKeyA, &make_edge_count);
    EXPECT_FALSE(state.expired());
  }
  EXPECT_TRUE(state.expired());
}

}  // namespace
}  // namespace moegnn::graph
