// SPDX-License-Identifier: Apache-2.0
// Neighbour-sampling and negative-sampling throughput on the ogbn-arxiv-scale R-MAT graph
// (graph::arxiv_scale_graph: 169,343 nodes, ~2.3M edges). Sampling follows the GraphSAGE /
// PyG NeighborLoader setting num_neighbors = [15, 10, 5] (15 per seed, 10 per hop-1 node, 5 per
// hop-2 node); NeighborSampler takes its fanouts input layer first, so it gets {5, 10, 15}. Batches
// of 1024 seeds drawn from a seeded shuffle of all nodes, a new batch every iteration; the time is
// per batch. Two edge counts per batch: "edges/batch" counts every block edge (DGL's MFGs resample
// the destinations an outer block already had), "hop_edges/batch" only the edges of nodes first
// reached at the previous hop, as NeighborLoader (and bench/compare/sage_pyg.py) count them;
// items/s uses hop_edges, so sampled edges per second compare like with like.
// Argument: thread count (0 = all hardware threads).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "core/parallel.h"
#include "core/rng.h"
#include "graph/generators.h"
#include "graph/negative_sampling.h"
#include "graph/sampler.h"
#include "graph/seed_batches.h"

namespace moegnn::graph {
namespace {

constexpr std::uint64_t kGraphSeed = 1;
constexpr std::uint64_t kSampleSeed = 3;

const Csr& arxiv() {
  static const Csr g = arxiv_scale_graph(kGraphSeed);
  return g;
}

NodeIds all_nodes(Index n) {
  std::vector<NodeId> ids(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) ids[static_cast<std::size_t>(i)] = static_cast<NodeId>(i);
  return NodeIds(ids);
}

void BM_SampleBlocks(benchmark::State& state) {
  set_num_threads(static_cast<int>(state.range(0)));
  const Csr& g = arxiv();
  NeighborSampler sampler(g, {5, 10, 15});  // input layer first: 15 neighbours per seed
  SeedBatches batches(all_nodes(g.num_nodes()), {1024, true, true, kSampleSeed});
  Rng rng(kSampleSeed);
  Index next = 0;
  std::int64_t edges = 0;
  std::int64_t hop_edges = 0;
  std::int64_t nodes = 0;
  for (auto _ : state) {
    if (next == batches.num_batches()) {
      batches.set_epoch(batches.epoch() + 1);
      next = 0;
    }
    const std::vector<Block> blocks = sampler.sample(batches.batch(next++), rng);
    // blocks.back() has the seeds as destinations; block l's destinations are block l+1's sources,
    // whose first num_dst (block l+1's destinations) were expanded one hop further out already.
    for (std::size_t l = 0; l < blocks.size(); ++l) {
      const Block& b = blocks[l];
      edges += b.adj.num_edges();
      const Index seen = l + 1 < blocks.size() ? blocks[l + 1].num_dst : 0;
      hop_edges += b.adj.row_ptr()[b.num_dst] - b.adj.row_ptr()[seen];
    }
    nodes += blocks.front().num_src();
    benchmark::DoNotOptimize(blocks.data());
  }
  state.SetItemsProcessed(hop_edges);
  state.counters["hop_edges/batch"] = benchmark::Counter(
      static_cast<double>(hop_edges) / static_cast<double>(state.iterations()));
  state.counters["edges/batch"] = benchmark::Counter(
      static_cast<double>(edges) / static_cast<double>(state.iterations()));
  state.counters["input_nodes/batch"] = benchmark::Counter(
      static_cast<double>(nodes) / static_cast<double>(state.iterations()));
  state.counters["threads"] = num_threads();
  set_num_threads(0);
}
BENCHMARK(BM_SampleBlocks)->ArgName("threads")->Arg(1)->Arg(0)->UseRealTime()->Unit(benchmark::kMillisecond);

// Uniform negatives, 1M per iteration. items/s = negative edges per second.
void BM_NegativeSampling(benchmark::State& state) {
  set_num_threads(static_cast<int>(state.range(0)));
  const Csr& g = arxiv();
  Rng rng(kSampleSeed);
  constexpr Index kSamples = 1 << 20;
  for (auto _ : state) {
    const EdgeList neg = negative_sampling(g, kSamples, rng);
    benchmark::DoNotOptimize(neg.src.data());
  }
  state.SetItemsProcessed(state.iterations() * kSamples);
  state.counters["threads"] = num_threads();
  set_num_threads(0);
}
BENCHMARK(BM_NegativeSampling)->ArgName("threads")->Arg(1)->Arg(0)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace moegnn::graph
