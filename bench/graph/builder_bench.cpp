// SPDX-License-Identifier: Apache-2.0
// Graph construction and file loading at ogbn-arxiv scale: from_coo on the 1.08M R-MAT edges behind
// graph::arxiv_scale_graph (symmetrised, merged, one loop per node: ~2.3M edges out), and load_csr
// of the result in both modes. items/s = input edges (build) or stored edges (load) per second.
// Argument: thread count (0 = all hardware threads).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/parallel.h"
#include "graph/builder.h"
#include "graph/edge_list.h"
#include "graph/generators.h"
#include "graph/io.h"

namespace moegnn::graph {
namespace {

// The drawn edge list of arxiv_scale_graph, recovered as the unsymmetrised, loop-free R-MAT graph.
const EdgeList& arxiv_edges() {
  static const EdgeList e = [] {
    RmatOptions o;
    o.num_nodes = 169343;
    o.num_edges = 1'080'000;
    o.a = 0.5;
    o.b = 0.2;
    o.c = 0.2;
    o.symmetric = false;
    o.self_loops = false;
    return to_edge_list(rmat(o));
  }();
  return e;
}

void BM_BuildArxiv(benchmark::State& state) {
  set_num_threads(static_cast<int>(state.range(0)));
  const EdgeList& e = arxiv_edges();
  BuildOptions o;
  o.num_nodes = 169343;
  o.symmetric = true;
  o.self_loops = SelfLoops::Add;
  EdgeId out = 0;
  for (auto _ : state) {
    const Csr g = from_coo(e.src, e.dst, {}, o);
    out = g.num_edges();
    benchmark::DoNotOptimize(g.col_idx().data());
  }
  state.SetItemsProcessed(state.iterations() * e.size());
  state.counters["edges_out"] = static_cast<double>(out);
  state.counters["threads"] = num_threads();
  set_num_threads(0);
}
BENCHMARK(BM_BuildArxiv)->ArgName("threads")->Arg(1)->Arg(0)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_ArxivScaleGraph(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(arxiv_scale_graph(1).num_edges());
  state.counters["threads"] = num_threads();
}
BENCHMARK(BM_ArxivScaleGraph)->UseRealTime()->Unit(benchmark::kMillisecond);

// Load (with checksum and full validation) and touch every column once.
void BM_LoadCsr(benchmark::State& state) {
  const auto mode = static_cast<LoadMode>(state.range(0));
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("moegnn_bench_" + std::to_string(::getpid()) + ".bin");
  const Csr g = arxiv_scale_graph(1);
  save_csr(g, path);
  for (auto _ : state) {
    const Csr loaded = load_csr(path, mode);
    std::int64_t sum = 0;
    for (const NodeId c : loaded.col_idx().host()) sum += c;
    benchmark::DoNotOptimize(sum);
  }
  std::filesystem::remove(path);
  state.SetItemsProcessed(state.iterations() * g.num_edges());
}
BENCHMARK(BM_LoadCsr)->ArgName("read_mode")->Arg(0)->Arg(1)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace moegnn::graph
