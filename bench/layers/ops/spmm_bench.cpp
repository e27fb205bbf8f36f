// SPDX-License-Identifier: Apache-2.0
// SpMM / SDDMM throughput on the ogbn-arxiv-scale R-MAT graph (graph::arxiv_scale_graph, 169,343
// nodes, ~2.3M edges), set against a STREAM triad measured in the same run. Bytes follow the
// compulsory-traffic model nnz · index + 2 · n · F · 4: every index once (the unweighted kernels
// read no edge value; SDDMM adds the 4-byte value it writes per edge), x read once and the output
// written once; caches can only beat it on re-used x rows, so
// "% triad" is a lower bound on how close the kernel gets to the memory system. The int64 variant
// instantiates the private templated kernel (cpu/spmm_kernel.h) with 64-bit column ids, the one
// reason this benchmark includes a private header; its bytes use an 8-byte index.
// BM_SpmmSumReordered runs the same kernel on the graph relabelled by graph/reorder.h (degree, RCM,
// BFS order), so a run compares it with BM_SpmmSum and the triad directly.
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "core/parallel.h"
#include "core/rng.h"
#include "graph/generators.h"
#include "graph/reorder.h"
#include "layers/ops/cpu/sddmm.h"
#include "layers/ops/cpu/spmm.h"
#include "layers/ops/cpu/spmm_kernel.h"
#include "layers/ops/spmm.h"
#include "bench/layers/ops/stream_triad.h"

namespace moegnn {
namespace {

constexpr std::uint64_t kGraphSeed = 1;
constexpr std::uint64_t kFeatureSeed = 7;

const graph::Csr& arxiv() {
  static const graph::Csr a = graph::arxiv_scale_graph(kGraphSeed);
  return a;
}

// rows × cols uniform in [-1, 1), filled in parallel (first touch spreads the pages).
Tensor features(Index rows, Index cols) {
  Tensor t = Tensor::empty(rows, cols);
  float* d = t.data();
  parallel_for_range(
      0, t.size(),
      [&](Index lo, Index hi) {
        for (Index i = lo; i < hi; ++i)
          d[i] = Rng::to_unit(Rng::bits(kFeatureSeed, static_cast<std::uint64_t>(i))) * 2.0f - 1.0f;
      },
      Index{1} << 16);
  return t;
}

// The no-reuse model: row_ptr (8 bytes per row), every index once, one x row gathered per edge and
// the output written once (unweighted: no values). Reported as "%triad_gather" next to "%triad".
double gather_bytes(const graph::Csr& a, Index width, double index_bytes) {
  const auto nnz = static_cast<double>(a.num_edges());
  const auto n = static_cast<double>(a.num_rows());
  const auto f = static_cast<double>(width);
  return 8.0 * (n + 1.0) + nnz * index_bytes + nnz * f * 4.0 + n * f * 4.0;
}

// edge_value_bytes: 0 for the unweighted SpMMs (no value is read), 4 for SDDMM's output per edge.
double model_bytes(const graph::Csr& a, Index width, double index_bytes,
                   double edge_value_bytes = 0.0) {
  return static_cast<double>(a.num_edges()) * (index_bytes + edge_value_bytes) +
         2.0 * static_cast<double>(a.num_rows()) * static_cast<double>(width) * 4.0;
}

void report(benchmark::State& state, double bytes, double gathered = 0.0) {
  const double triad = bench::triad_bytes_per_second();
  state.SetBytesProcessed(
      static_cast<std::int64_t>(bytes * static_cast<double>(state.iterations())));
  state.counters["GB/s"] =
      benchmark::Counter(bytes * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["%triad"] =
      benchmark::Counter(bytes * 100.0 / triad, benchmark::Counter::kIsIterationInvariantRate);
  if (gathered > 0.0)
    state.counters["%triad_gather"] = benchmark::Counter(
        gathered * 100.0 / triad, benchmark::Counter::kIsIterationInvariantRate);
}

// Runs body() once untimed (page faults, transpose-free warm-up), then times it.
template <typename Body>
void time_loop(benchmark::State& state, Body&& body) {
  bench::triad_bytes_per_second();  // measured before the first timed loop, outside it
  body();
  for (auto _ : state) {
    body();
    benchmark::ClobberMemory();
  }
}

void BM_StreamTriad(benchmark::State& state) {
  bench::StreamTriad triad;
  triad.run();
  for (auto _ : state) {
    triad.run();
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(
      static_cast<std::int64_t>(triad.bytes_per_pass() * static_cast<double>(state.iterations())));
  state.counters["GB/s"] = benchmark::Counter(triad.bytes_per_pass() * 1e-9,
                                              benchmark::Counter::kIsIterationInvariantRate);
  state.counters["best_GB/s"] = bench::triad_bytes_per_second() * 1e-9;
}

// The library's int32 kernel into a preallocated output (what a layer's forward spends in SpMM).
void BM_SpmmSum(benchmark::State& state) {
  const graph::Csr& a = arxiv();
  const Index width = state.range(0);
  const Tensor x = features(a.num_cols(), width);
  Tensor out = Tensor::empty(a.num_rows(), width);
  time_loop(state, [&] { ops::cpu::spmm_sum(a.view(), {}, x, false, false, out); });
  report(state, model_bytes(a, width, 4.0), gather_bytes(a, width, 4.0));
}

// The arxiv-scale graph relabelled by `method` (graph/reorder.h), built once per method, with the
// wall time the relabelling took (reorder_permutation + permute, ms).
struct Reordered {
  graph::Csr graph;
  double permutation_ms = 0.0;
  double permute_ms = 0.0;
};

const Reordered& arxiv_reordered(graph::Reorder method) {
  static std::array<std::unique_ptr<Reordered>, 3> cache;
  auto& slot = cache.at(static_cast<std::size_t>(method));
  if (!slot) {
    using Clock = std::chrono::steady_clock;
    const auto ms = [](Clock::duration d) {
      return std::chrono::duration<double, std::milli>(d).count();
    };
    slot = std::make_unique<Reordered>();
    // The graph is built outside the clock; RCM's first call also builds its transpose.
    const graph::Csr& a = arxiv();
    const auto t0 = Clock::now();
    const std::vector<graph::NodeId> p = graph::reorder_permutation(a, method);
    const auto t1 = Clock::now();
    slot->graph = graph::permute(a, p);
    slot->permutation_ms = ms(t1 - t0);
    slot->permute_ms = ms(Clock::now() - t1);
  }
  return *slot;
}

template <typename Col>
ops::cpu::SpmmProblem<Col> problem(const graph::Csr& a, const Col* col_idx, const Tensor& x,
                                   Tensor& out) {
  ops::cpu::SpmmProblem<Col> p;
  p.num_rows = a.num_rows();
  p.row_ptr = a.row_ptr().data();
  p.col_idx = col_idx;
  p.x = x.data();
  p.width = x.cols();
  p.out = out.data();
  p.x_rows = x.rows();
  return p;
}

// BM_SpmmSum on the relabelled graph. x is drawn fresh rather than permuted: its values do not
// change the access pattern, which only the graph's column ids decide. column_block as in
// BM_SpmmSumColumnBlock (0: one pass).
void BM_SpmmSumReordered(benchmark::State& state, graph::Reorder method, Index column_block) {
  const Reordered& r = arxiv_reordered(method);
  const graph::Csr& a = r.graph;
  const Index width = state.range(0);
  const Tensor x = features(a.num_cols(), width);
  Tensor out = Tensor::empty(a.num_rows(), width);
  auto p = problem(a, a.col_idx().data(), x, out);
  p.column_block = column_block;
  time_loop(state, [&] { ops::cpu::spmm_sum_kernel(p, ops::cpu::UnitWeight{}); });
  report(state, model_bytes(a, width, 4.0), gather_bytes(a, width, 4.0));
  state.counters["reorder_ms"] = r.permutation_ms;
  state.counters["permute_ms"] = r.permute_ms;
}

// The cost of a reordering on the arxiv-scale graph: reorder_permutation alone (permute is timed
// once per method in BM_SpmmSumReordered's counters).
void BM_ReorderPermutation(benchmark::State& state, graph::Reorder method) {
  const graph::Csr& a = arxiv();
  for (auto _ : state) benchmark::DoNotOptimize(graph::reorder_permutation(a, method).data());
}

// The same kernel instantiated with int64 column ids.
void BM_SpmmSumInt64(benchmark::State& state) {
  const graph::Csr& a = arxiv();
  const Index width = state.range(0);
  const Tensor x = features(a.num_cols(), width);
  Tensor out = Tensor::empty(a.num_rows(), width);
  const auto cols32 = a.col_idx().host();
  const std::vector<std::int64_t> cols64(cols32.begin(), cols32.end());
  const auto p = problem(a, cols64.data(), x, out);
  time_loop(state, [&] { ops::cpu::spmm_sum_kernel(p, ops::cpu::UnitWeight{}); });
  report(state, model_bytes(a, width, 8.0), gather_bytes(a, width, 8.0));
}

// Columns per pass over the graph (the cache-blocking knob of spmm_sum_kernel), int32 ids.
void BM_SpmmSumColumnBlock(benchmark::State& state) {
  const graph::Csr& a = arxiv();
  const Index width = state.range(0);
  const Tensor x = features(a.num_cols(), width);
  Tensor out = Tensor::empty(a.num_rows(), width);
  auto p = problem(a, a.col_idx().data(), x, out);
  p.column_block = state.range(1);
  time_loop(state, [&] { ops::cpu::spmm_sum_kernel(p, ops::cpu::UnitWeight{}); });
  report(state, model_bytes(a, width, 4.0));
}

// The same edges with column ids folded into [0, rows) (rows a power of two): x stays in L2 (1024
// rows of F = 128 are 512 KiB) or L3 (8192 rows: 4 MiB), so this is the kernel's ceiling when
// gathers hit the cache; the gap to BM_SpmmSum is the cost of gathering from DRAM.
void BM_SpmmSumCacheResident(benchmark::State& state) {
  const graph::Csr& a = arxiv();
  const Index width = state.range(0);
  const Index rows = state.range(1);
  const Tensor x = features(rows, width);
  Tensor out = Tensor::empty(a.num_rows(), width);
  const auto cols = a.col_idx().host();
  std::vector<graph::NodeId> folded(cols.begin(), cols.end());
  for (graph::NodeId& c : folded) c &= static_cast<graph::NodeId>(rows - 1);
  auto p = problem(a, folded.data(), x, out);
  time_loop(state, [&] { ops::cpu::spmm_sum_kernel(p, ops::cpu::UnitWeight{}); });
  report(state, model_bytes(a, width, 4.0));
}

// The public op: validation plus a fresh output tensor per call (allocation and first touch).
void BM_SpmmSumOp(benchmark::State& state) {
  const graph::Csr& a = arxiv();
  const Index width = state.range(0);
  const Tensor x = features(a.num_cols(), width);
  time_loop(state, [&] { benchmark::DoNotOptimize(ops::spmm(a, x).data()); });
  report(state, model_bytes(a, width, 4.0));
}

void BM_SpmmMean(benchmark::State& state) {
  const graph::Csr& a = arxiv();
  const Index width = state.range(0);
  const Tensor x = features(a.num_cols(), width);
  Tensor out = Tensor::empty(a.num_rows(), width);
  time_loop(state, [&] { ops::cpu::spmm_sum(a.view(), {}, x, true, false, out); });
  report(state, model_bytes(a, width, 4.0));
}

void BM_SpmmMax(benchmark::State& state) {
  const graph::Csr& a = arxiv();
  const Index width = state.range(0);
  const Tensor x = features(a.num_cols(), width);
  Tensor out = Tensor::empty(a.num_rows(), width);
  time_loop(state, [&] { ops::cpu::spmm_max(a.view(), {}, x, out, nullptr); });
  report(state, model_bytes(a, width, 4.0));
}

// e[k] = <dst[i], src[j]>: the same gathers as SpMM, one float written per edge.
void BM_SddmmDot(benchmark::State& state) {
  const graph::Csr& a = arxiv();
  const Index width = state.range(0);
  const Tensor x = features(a.num_cols(), width);
  Tensor out = Tensor::zeros(a.num_edges(), 1);
  time_loop(state, [&] { ops::cpu::sddmm_dot(a.view(), x, x, 1, false, out); });
  report(state, model_bytes(a, width, 4.0, 4.0));
}

struct Context {
  Context() {
    benchmark::AddCustomContext("moegnn_threads", std::to_string(num_threads()));
    benchmark::AddCustomContext("graph", "arxiv_scale_graph(seed 1)");
    benchmark::AddCustomContext("traffic_model",
                                "nnz*index + 2*n*F*4 bytes (+ nnz*4 for SDDMM's output)");
    benchmark::AddCustomContext("gather_model",
                                "8*(n+1) + nnz*index + nnz*F*4 + n*F*4 bytes (%triad_gather)");
  }
} const kContext;

// Wall time (the kernels are threaded) plus the CPU time of all threads, which shows how much of
// the machine a run got when other work shares it.
void timed(benchmark::internal::Benchmark* b) {
  b->UseRealTime()->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
}
void widths(benchmark::internal::Benchmark* b) {
  b->ArgName("F")->RangeMultiplier(2)->Range(16, 256);
  timed(b);
}
void f128(benchmark::internal::Benchmark* b) {
  b->ArgName("F")->Arg(128);
  timed(b);
}

// Registration order is run order: the triad first, so its figure is at hand for the ratios.
BENCHMARK(BM_StreamTriad)->Apply(timed);
BENCHMARK(BM_SpmmSum)->Apply(widths);
BENCHMARK(BM_SpmmSumInt64)->Apply(widths);
BENCHMARK(BM_SpmmSumColumnBlock)
    ->ArgNames({"F", "block"})
    ->ArgsProduct({{128, 256}, {16, 32, 64, 128, 256}})
    ->Apply(timed);
BENCHMARK(BM_SpmmSumCacheResident)
    ->ArgNames({"F", "rows"})
    ->ArgsProduct({{16, 128}, {1024, 8192}})
    ->Apply(timed);
BENCHMARK(BM_SpmmSumOp)->Apply(f128);
BENCHMARK(BM_SpmmMean)->Apply(f128);
BENCHMARK(BM_SpmmMax)->Apply(f128);
BENCHMARK(BM_SddmmDot)->Apply(f128);

// Reordered graphs, named BM_SpmmSumReordered/<method>[/block:<columns>]/F:<width>.
struct RegisterReordered {
  RegisterReordered() {
    using graph::Reorder;
    for (const Reorder m : {Reorder::Degree, Reorder::Rcm, Reorder::Bfs}) {
      const std::string name(graph::to_string(m));
      auto* b = benchmark::RegisterBenchmark(("BM_SpmmSumReordered/" + name).c_str(),
                                             BM_SpmmSumReordered, m, Index{0});
      b->ArgName("F");
      for (const Index f : {32, 64, 128, 256}) b->Arg(f);
      timed(b);
      for (const Index block : {32, 64})
        benchmark::RegisterBenchmark(
            ("BM_SpmmSumReordered/" + name + "/block:" + std::to_string(block)).c_str(),
            BM_SpmmSumReordered, m, block)
            ->Apply(f128);
    }
    for (const Reorder m : {Reorder::Degree, Reorder::Rcm, Reorder::Bfs}) {
      const std::string name = "BM_ReorderPermutation/" + std::string(graph::to_string(m));
      benchmark::RegisterBenchmark(name.c_str(), BM_ReorderPermutation, m)->Apply(timed);
    }
  }
} const kRegisterReordered;

}  // namespace
}  // namespace moegnn
