// SPDX-License-Identifier: Apache-2.0
// Common neighbours of pair batches (graph/common_neighbors.h) at ogbn-arxiv scale: 65,536 pairs
// per call on graph::arxiv_scale_graph (169,343 nodes, ~2.3M stored edges, power-law degrees, so
// many pairs take the galloping path), drawn as random edges (targets of link prediction) or as
// uniform node pairs; the CN sets (offsets + ids) and the resource-allocation score. items/s =
// pairs per second. Argument: thread count (0 = all hardware threads). ogbl-ddi's numbers come
// from bench/models/link_bench.cpp (it needs the datasets module).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <vector>

#include "core/parallel.h"
#include "core/rng.h"
#include "graph/common_neighbors.h"
#include "graph/edge_list.h"
#include "graph/generators.h"

namespace moegnn::graph {
namespace {

constexpr Index kPairs = 65536;

const Csr& arxiv() {
  static const Csr g = arxiv_scale_graph(1);
  return g;
}

// edges: pairs are random stored edges (link-prediction targets); else uniform node pairs.
EdgeList pairs_of(const Csr& g, bool edges) {
  Rng rng(5);
  std::vector<NodeId> s, d;
  const auto ptr = g.row_ptr().host();
  const auto col = g.col_idx().host();
  for (Index k = 0; k < kPairs; ++k) {
    if (edges) {
      const auto e = static_cast<std::size_t>(rng.below(static_cast<std::uint64_t>(g.num_edges())));
      const auto row = std::upper_bound(ptr.begin(), ptr.end(), static_cast<EdgeId>(e)) - ptr.begin() - 1;
      s.push_back(static_cast<NodeId>(row));
      d.push_back(col[e]);
    } else {
      s.push_back(static_cast<NodeId>(rng.below(static_cast<std::uint64_t>(g.num_nodes()))));
      d.push_back(static_cast<NodeId>(rng.below(static_cast<std::uint64_t>(g.num_nodes()))));
    }
  }
  return {NodeIds(s), NodeIds(d)};
}

void run(benchmark::State& state, bool edges, bool heuristic) {
  set_num_threads(static_cast<int>(state.range(0)));
  const Csr& g = arxiv();
  const EdgeList pairs = pairs_of(g, edges);
  CommonNeighborOptions o;
  o.validate = Validate::Trusted;
  double found = 0.0;
  for (auto _ : state) {
    if (heuristic) {
      const auto s = link_heuristic(g, pairs, LinkHeuristic::ResourceAllocation, o);
      benchmark::DoNotOptimize(s.data());
    } else {
      const PairNeighbors cn = common_neighbors(g, pairs, o);
      found = static_cast<double>(cn.nodes.size());
      benchmark::DoNotOptimize(cn.nodes.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * kPairs);
  state.counters["cn_per_pair"] = found / static_cast<double>(kPairs);
  state.counters["threads"] = num_threads();
  set_num_threads(0);
}

void BM_CommonNeighborsArxivEdges(benchmark::State& s) { run(s, true, false); }
void BM_CommonNeighborsArxivRandomPairs(benchmark::State& s) { run(s, false, false); }
void BM_ResourceAllocationArxivEdges(benchmark::State& s) { run(s, true, true); }
BENCHMARK(BM_CommonNeighborsArxivEdges)->ArgName("threads")->Arg(1)->Arg(0)->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CommonNeighborsArxivRandomPairs)->ArgName("threads")->Arg(1)->Arg(0)->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ResourceAllocationArxivEdges)->ArgName("threads")->Arg(1)->Arg(0)->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace moegnn::graph
