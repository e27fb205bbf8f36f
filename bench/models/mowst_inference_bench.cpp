// SPDX-License-Identifier: Apache-2.0
// Mowst routed inference against the full-graph GNN on the arxiv-scale generated graph
// (graph::arxiv_scale_graph: 169,343 nodes, ~2.3M stored edges), 128 random N(0, 1) features,
// 40 classes, a 2-layer MLP weak expert and a 2-layer GCN strong expert (hidden 256, untrained:
// timings do not depend on the weights). BM_MowstGnnFullGraph is the GNN alone on every node;
// BM_MowstRouted/<p> runs the MLP and the gate on every node and the GCN layer-wise pruned on
// full-neighbour blocks (layer l only on the nodes layer l + 1 reads, the last layer only on the
// nodes not routed to the MLP), where p % of the nodes (chosen uniformly at random, seeded) go to
// the MLP. Counters: closure (fraction of nodes in the input layer), strong (fraction routed to
// the GCN). Run: moegnn_models_bench --benchmark_filter=Mowst.
#include <memory>

#include <benchmark/benchmark.h>

#include "core/rng.h"
#include "graph/generators.h"
#include "models/mowst/inference.h"
#include "models/mowst/mowst.h"

namespace moegnn::bench {
namespace {

struct MowstFixture {
  graph::Csr raw;
  Tensor x;
  std::unique_ptr<mowst::Mowst> model;
  mowst::MowstGraphs graphs;
};

MowstFixture& fixture() {
  static MowstFixture* f = [] {
    auto* out = new MowstFixture;
    out->raw = graph::arxiv_scale_graph(1);
    const Index n = out->raw.num_nodes();
    out->x = Tensor::empty(n, 128);
    Rng rng(3);
    float* data = out->x.data();
    for (Index i = 0; i < out->x.size(); ++i) data[i] = rng.normal();
    mowst::MowstModelOptions o;
    o.weak_options = {.hidden_channels = 256, .num_layers = 2, .dropout = 0.5f};
    o.strong_options = {.hidden_channels = 256, .num_layers = 2, .dropout = 0.5f};
    o.gate = {.hidden_channels = 64};
    out->model = mowst::make_mowst(o, 128, 40, rng);
    out->model->eval();
    out->graphs = out->model->prepare(out->raw);
    return out;
  }();
  return *f;
}

void BM_MowstGnnFullGraph(benchmark::State& state) {
  auto& f = fixture();
  for (auto _ : state) {
    const Tensor logits = mowst::eval_logits(f.model->strong(), f.graphs.strong, f.x);
    benchmark::DoNotOptimize(logits.data());
  }
  state.SetItemsProcessed(state.iterations() * f.x.rows());
}
BENCHMARK(BM_MowstGnnFullGraph)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

void BM_MowstRouted(benchmark::State& state) {
  auto& f = fixture();
  const Index n = f.x.rows();
  const double to_mlp = static_cast<double>(state.range(0)) / 100.0;
  std::vector<std::uint8_t> routing(static_cast<std::size_t>(n));
  for (Index v = 0; v < n; ++v)
    routing[static_cast<std::size_t>(v)] =
        Rng::to_unit(Rng::bits(11, static_cast<std::uint64_t>(v))) < to_mlp ? 1 : 0;
  mowst::RoutedPrediction last;
  for (auto _ : state) {
    last = mowst::predict_routed(*f.model, f.graphs, f.x, routing, /*efficient=*/true);
    benchmark::DoNotOptimize(last.predictions.data());
  }
  state.counters["closure"] = static_cast<double>(last.closure_nodes) / static_cast<double>(n);
  state.counters["strong"] = static_cast<double>(last.num_strong) / static_cast<double>(n);
  state.counters["weak_ms"] = last.weak_seconds * 1e3;
  state.counters["strong_ms"] = last.strong_seconds * 1e3;
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_MowstRouted)
    ->Arg(0)
    ->Arg(50)
    ->Arg(90)
    ->Arg(99)
    ->Arg(100)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();

}  // namespace
}  // namespace moegnn::bench
