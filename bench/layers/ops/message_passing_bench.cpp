// SPDX-License-Identifier: Apache-2.0
// The message-passing ops as a layer runs them, through the tape (allocation, checks and
// backward rule included), on the ogbn-arxiv-scale R-MAT graph: SpMM-sum forward and backward
// (the x gradient runs over the cached transpose, without atomics), GAT's attention pipeline
// pieces (SDDMM u + v with 8 heads, edge softmax forward and backward). Bytes follow the
// compulsory-traffic model of spmm_bench.cpp, each op's own: what it must read and write once.
#include <cstdint>

#include <benchmark/benchmark.h>

#include "core/ops/elementwise.h"
#include "core/ops/reduce.h"
#include "core/parallel.h"
#include "core/rng.h"
#include "core/tape.h"
#include "graph/generators.h"
#include "layers/ops/edge_softmax.h"
#include "layers/ops/sddmm.h"
#include "layers/ops/spmm.h"
#include "bench/layers/ops/stream_triad.h"

namespace moegnn {
namespace {

const graph::Csr& arxiv() {
  static const graph::Csr a = [] {
    graph::Csr g = graph::arxiv_scale_graph(1);
    (void)g.transpose();  // built once here, not inside the first timed backward
    return g;
  }();
  return a;
}

Tensor uniform(Index rows, Index cols, std::uint64_t seed) {
  Tensor t = Tensor::empty(rows, cols);
  float* d = t.data();
  parallel_for(0, t.size(), [&](Index i) {
    d[i] = Rng::to_unit(Rng::bits(seed, static_cast<std::uint64_t>(i))) * 2.0f - 1.0f;
  }, Index{1} << 16);
  return t;
}

void report(benchmark::State& state, double bytes) {
  const double triad = bench::triad_bytes_per_second();
  state.counters["GB/s"] =
      benchmark::Counter(bytes * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["%triad"] =
      benchmark::Counter(bytes * 100.0 / triad, benchmark::Counter::kIsIterationInvariantRate);
}

// One warm-up call (page faults, the host buffer cache), then the timed loop.
template <typename Body>
void time_loop(benchmark::State& state, Body&& body) {
  bench::triad_bytes_per_second();
  body();
  for (auto _ : state) {
    body();
    benchmark::ClobberMemory();
  }
}

double edges(const graph::Csr& a) { return static_cast<double>(a.num_edges()); }
double nodes(const graph::Csr& a) { return static_cast<double>(a.num_rows()); }

// The scalar sum(out ⊙ seed), so backward seeds d(out) = seed (one extra elementwise pass each way,
// counted in neither the time split nor the bytes; it is small next to the sparse products).
Var seeded_loss(Tape& tape, Var out, const Tensor& seed) {
  return ops::sum(tape, ops::mul(tape, out, tape.constant(seed)));
}

// Times op's forward on `input` and the backward seeded with `seed` (d(op) = seed).
template <typename Op>
void time_forward_backward(benchmark::State& state, const Tensor& input, const Tensor& seed,
                           Op&& op) {
  time_loop(state, [&] {
    Tape tape;
    Parameter p(input);
    tape.backward(seeded_loss(tape, op(tape, tape.param(p)), seed));
    benchmark::DoNotOptimize(p.grad.data());
  });
}

// out = A·x then dx = Aᵀ·dout: two SpMMs, the second over the transpose.
void BM_SpmmSumForwardBackward(benchmark::State& state) {
  const graph::Csr& a = arxiv();
  const Index width = state.range(0);
  const Tensor x = uniform(a.num_cols(), width, 7);
  const Tensor seed_grad = uniform(a.num_rows(), width, 8);
  time_forward_backward(state, x, seed_grad,
                        [&](Tape& tape, Var xv) { return ops::spmm(tape, a, xv); });
  report(state, 2.0 * (edges(a) * 8.0 + 2.0 * nodes(a) * static_cast<double>(width) * 4.0));
}

// GAT's attention logits: per edge and head, dst score + src score (8 heads).
void BM_SddmmAdd(benchmark::State& state) {
  const graph::Csr& a = arxiv();
  const Index heads = state.range(0);
  const Tensor dst = uniform(a.num_rows(), heads, 9);
  const Tensor src = uniform(a.num_cols(), heads, 10);
  time_loop(state, [&] { benchmark::DoNotOptimize(ops::sddmm_add(a, dst, src).data()); });
  report(state, edges(a) * (4.0 + 4.0 * static_cast<double>(heads)) +
                    2.0 * nodes(a) * static_cast<double>(heads) * 4.0);
}

// Softmax over each node's in-edges, forward and backward (8 heads).
void BM_EdgeSoftmaxForwardBackward(benchmark::State& state) {
  const graph::Csr& a = arxiv();
  const Index heads = state.range(0);
  const Tensor logits = uniform(a.num_edges(), heads, 11);
  const Tensor seed_grad = uniform(a.num_edges(), heads, 12);
  time_forward_backward(state, logits, seed_grad,
                        [&](Tape& tape, Var l) { return ops::edge_softmax(tape, a, l); });
  // forward reads logits, writes p; backward reads p and dp, writes dlogits.
  report(state, edges(a) * static_cast<double>(heads) * 4.0 * 5.0 + edges(a) * 8.0 * 2.0);
}

void timed(benchmark::internal::Benchmark* b) {
  b->UseRealTime()->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
}

BENCHMARK(BM_SpmmSumForwardBackward)->ArgName("F")->Arg(128)->Apply(timed);
BENCHMARK(BM_SddmmAdd)->ArgName("heads")->Arg(8)->Apply(timed);
BENCHMARK(BM_EdgeSoftmaxForwardBackward)->ArgName("heads")->Arg(8)->Apply(timed);

}  // namespace
}  // namespace moegnn
