// SPDX-License-Identifier: Apache-2.0
// Neighbour-sampling and negative-sampling throughput on the ogbn-arxiv-scale R-MAT graph
// (graph::arxiv_scale_graph: 169,343 nodes, ~2.3M edges). Sampling follows the GraphSAGE /
// PyG NeighborLoader setting: fanouts 15-10-5, batches of 1024 seeds drawn from a seeded shuffle of
// all nodes, a new batch every iteration. items/s = sampled block edges per second (all layers).
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
  NeighborSampler sampler(g, {15, 10, 5});
  SeedBatches batches(all_nodes(g.num_nodes()), {1024, true, true, kSampleSeed});
  Rng rng(kSampleSeed);
  Index next = 0;
  std::int64_t edges = 0;
  std::int64_t nodes = 0;
  for (auto _ : state) {
    if (next == batches.num_batches()) {
      batches.set_epoch(batches.epoch() + 1);
      next = 0;
    }
    const std::vector<Block> blocks = sampler.sample(batches.batch(next++), rng);
    for (const Block& b : blocks) edges += b.adj.num_edges();
    nodes += blocks.front().num_src();
    benchmark::DoNotOptimize(blocks.data());
  }
  state.SetItemsProcessed(edges);
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
