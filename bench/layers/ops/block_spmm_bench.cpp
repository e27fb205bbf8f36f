// SPDX-License-Identifier: Apache-2.0
// Block SpMM (the sheaf diffusion step) against the scalar SpMM on the equivalent expanded matrix,
// both set against the STREAM triad measured in the same run. Graph: a symmetric R-MAT graph with
// 100,000 nodes and ~1.5M directed edges (no loops), plus one diagonal block per node, as the
// sheaf Laplacian's pattern (layers/sheaf/sheaf_pattern.h); x is (N·b) × C with C = 32 channels
// per stalk coordinate. Compulsory-traffic models (as spmm_bench.cpp):
//   block:  nnzb·(4 + 4·w) + 2·N·b·C·4, w = b² (dense) or b (diagonal) values per block,
//   scalar: nnz·(4 + 4) + 2·N·b·C·4 with nnz = nnzb·w entries of the expanded matrix.
// Both compute the same product, so their wall times compare directly; "%triad" says how close
// each gets to the memory system under its own model.
#include <cstdint>

#include <benchmark/benchmark.h>

#include "core/rng.h"
#include "graph/generators.h"
#include "layers/ops/cpu/block_spmm.h"
#include "layers/ops/cpu/spmm.h"
#include "layers/ops/block_spmm.h"
#include "layers/sheaf/sheaf_pattern.h"
#include "bench/layers/ops/stream_triad.h"

namespace moegnn {
namespace {

constexpr Index kChannels = 32;

const layers::sheaf::SheafPattern& pattern() {
  static const layers::sheaf::SheafPattern p = layers::sheaf::make_sheaf_pattern(
      graph::rmat({.num_nodes = 100000, .num_edges = 800000, .self_loops = false, .seed = 1}));
  return p;
}

Tensor uniform(Index rows, Index cols, std::uint64_t seed) {
  Tensor t = Tensor::empty(rows, cols);
  for (Index i = 0; i < t.size(); ++i)
    t.data()[i] = Rng::to_unit(Rng::bits(seed, static_cast<std::uint64_t>(i))) * 2.0f - 1.0f;
  return t;
}

void report(benchmark::State& state, double bytes) {
  const double triad = bench::triad_bytes_per_second();
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes * static_cast<double>(state.iterations())));
  state.counters["GB/s"] = benchmark::Counter(bytes * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["%triad"] =
      benchmark::Counter(bytes * 100.0 / triad, benchmark::Counter::kIsIterationInvariantRate);
}

// range(0) = block size b, range(1) = 1 for diagonal blocks; range(2) = 1 for the scalar SpMM on
// the expanded matrix instead of the block kernel.
void BM_SheafDiffusionSpmm(benchmark::State& state) {
  const graph::Csr& blocks = pattern().blocks;
  const Index b = state.range(0);
  const bool diagonal = state.range(1) != 0;
  const bool scalar = state.range(2) != 0;
  const Index w = diagonal ? b : b * b;
  const Tensor values = uniform(blocks.num_edges(), w, 3);
  const Tensor x = uniform(blocks.num_rows() * b, kChannels, 5);
  Tensor out = Tensor::empty(x.rows(), kChannels);
  const auto nnzb = static_cast<double>(blocks.num_edges());
  const double dense_bytes = 2.0 * static_cast<double>(x.size()) * 4.0;
  bench::triad_bytes_per_second();  // measured before the timed loop
  if (scalar) {
    const graph::Csr expanded = ops::expand_blocks(blocks, values, b);
    ops::cpu::spmm_sum(expanded.view(), {expanded.values().data(), nullptr, 1}, x, false, false, out);
    for (auto _ : state) {
      ops::cpu::spmm_sum(expanded.view(), {expanded.values().data(), nullptr, 1}, x, false, false, out);
      benchmark::ClobberMemory();
    }
    report(state, static_cast<double>(expanded.num_edges()) * 8.0 + dense_bytes);
    return;
  }
  const ops::cpu::BlockValues v{values.data(), b, diagonal && b > 1, nullptr, false};
  ops::cpu::block_spmm(blocks.view(), v, x, false, out);
  for (auto _ : state) {
    ops::cpu::block_spmm(blocks.view(), v, x, false, out);
    benchmark::ClobberMemory();
  }
  report(state, nnzb * (4.0 + 4.0 * static_cast<double>(w)) + dense_bytes);
}

BENCHMARK(BM_SheafDiffusionSpmm)
    ->ArgNames({"b", "diag", "scalar"})
    ->ArgsProduct({{2, 3, 4, 5}, {0, 1}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace moegnn
