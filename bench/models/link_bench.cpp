// SPDX-License-Identifier: Apache-2.0
// Link prediction on ogbl-ddi (4,267 nodes, 2.1M stored edges: a dense graph, ~500 neighbours per
// node): common neighbours and resource allocation of the 133,489 test positives on the training
// graph (items/s = pairs per second), by sorted-row merge and by bitsets. Reads
// $MOEGNN_DATA_DIR/ogbl-ddi; skips (SkipWithError) when it is missing.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "core/parallel.h"
#include "datasets/registry.h"
#include "graph/common_neighbors.h"

namespace moegnn::models {
namespace {

const datasets::LinkDataset* ddi() {
  static const std::unique_ptr<datasets::LinkDataset> d = []() -> std::unique_ptr<datasets::LinkDataset> {
    const char* dir = std::getenv("MOEGNN_DATA_DIR");
    if (dir == nullptr || !std::filesystem::exists(std::filesystem::path(dir) / "ogbl-ddi"))
      return nullptr;
    return std::make_unique<datasets::LinkDataset>(datasets::load_link_dataset("ogbl-ddi", dir));
  }();
  return d.get();
}

void BM_CommonNeighborsDdiTest(benchmark::State& state) {
  set_num_threads(static_cast<int>(state.range(0)));
  const datasets::LinkDataset* d = ddi();
  if (d == nullptr) {
    state.SkipWithError("ogbl-ddi not under $MOEGNN_DATA_DIR");
    return;
  }
  graph::CommonNeighborOptions o;
  o.validate = graph::Validate::Trusted;
  o.method = static_cast<graph::Intersection>(state.range(1));
  double found = 0.0;
  for (auto _ : state) {
    const graph::PairNeighbors cn = graph::common_neighbors(d->graph, d->test.pos, o);
    found = static_cast<double>(cn.nodes.size());
    benchmark::DoNotOptimize(cn.nodes.data());
  }
  state.SetItemsProcessed(state.iterations() * d->test.pos.size());
  state.counters["cn_per_pair"] = found / static_cast<double>(d->test.pos.size());
  state.counters["threads"] = num_threads();
  set_num_threads(0);
}
// method: 0 Auto (bitsets on this graph), 1 Lists (sorted-row merge), 2 Bitsets.
BENCHMARK(BM_CommonNeighborsDdiTest)->ArgNames({"threads", "method"})
    ->ArgsProduct({{1, 0}, {0, 1}})->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_ResourceAllocationDdiTest(benchmark::State& state) {
  const datasets::LinkDataset* d = ddi();
  if (d == nullptr) {
    state.SkipWithError("ogbl-ddi not under $MOEGNN_DATA_DIR");
    return;
  }
  graph::CommonNeighborOptions o;
  o.validate = graph::Validate::Trusted;
  for (auto _ : state) {
    const auto s = graph::link_heuristic(d->graph, d->test.pos, graph::LinkHeuristic::ResourceAllocation, o);
    benchmark::DoNotOptimize(s.data());
  }
  state.SetItemsProcessed(state.iterations() * d->test.pos.size());
}
BENCHMARK(BM_ResourceAllocationDdiTest)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace moegnn::models
