// SPDX-License-Identifier: Apache-2.0
// CUDA SpMM-sum throughput on the ogbn-arxiv-scale R-MAT graph (graph::arxiv_scale_graph, 169,343
// nodes, ~2.3M edges) at F = 32..256, built only with MOEGNN_WITH_CUDA and skipped (SkipWithError)
// when no device answers. Bytes follow the compulsory-traffic model of spmm_bench.cpp with one
// 4-byte value per edge (cuSPARSE reads a ones array for an unweighted graph): nnz · 8 + 2 · n · F
// · 4, so GB/s set against the card's memory bandwidth (an H100 SXM moves about 3.35 TB/s) says
// how close the kernel gets to the memory system. BM_CudaSpmmSum is cuSPARSE (what ops::spmm runs
// for Sum), BM_CudaSpmmSumRows our warp-per-row kernel (what Mean and heads run), both into a
// preallocated output through the private entry points (layers/ops/cuda/*.h), as the CPU
// benchmark does. Timing: the context stream is private to core, so CUDA events cannot be
// recorded on it from here; each iteration enqueues kBatch products, then waits for the stream
// (a 4-byte device-to-host copy, which is ordered after them) and reports the wall time (manual
// time), so launch and wait overheads are spread over kBatch products.
#include <chrono>
#include <cstdint>
#include <exception>
#include <string>

#include <benchmark/benchmark.h>

#include "core/rng.h"
#include "graph/generators.h"
#include "layers/ops/cuda/spmm.h"
#include "layers/ops/cuda/spmm_rows.h"

namespace moegnn {
namespace {

constexpr std::uint64_t kGraphSeed = 1;
constexpr std::uint64_t kFeatureSeed = 7;
constexpr int kBatch = 10;

// The graph on the device, or nullptr (and `why` set) when no device answers.
const graph::Csr* arxiv_on_device(std::string& why) {
  static std::string error;
  static const graph::Csr* a = [] {
    try {
      // A one-float allocation fails fast without a device, before the graph is generated.
      static_cast<void>(Tensor::zeros(1, 1, Device::Cuda));
      static const graph::Csr on_device = graph::arxiv_scale_graph(kGraphSeed).to(Device::Cuda);
      return &on_device;
    } catch (const std::exception& e) {
      error = e.what();
      return static_cast<const graph::Csr*>(nullptr);
    }
  }();
  why = error;
  return a;
}

// rows × cols uniform in [-1, 1), drawn on the host and copied to the device.
Tensor device_features(Index rows, Index cols) {
  Tensor t = Tensor::empty(rows, cols);
  for (Index i = 0; i < t.size(); ++i)
    t.data()[i] =
        Rng::to_unit(Rng::bits(kFeatureSeed, static_cast<std::uint64_t>(i))) * 2.0f - 1.0f;
  return t.to(Device::Cuda);
}

double model_bytes(const graph::Csr& a, Index width) {
  return static_cast<double>(a.num_edges()) * 8.0 +
         2.0 * static_cast<double>(a.num_rows()) * static_cast<double>(width) * 4.0;
}

// Runs body() once untimed (cuSPARSE descriptor and workspace, allocator warm-up), then times
// batches of kBatch calls, each batch closed by a wait on the stream.
template <typename Body>
void time_batches(benchmark::State& state, const graph::Csr& a, Index width, Body&& body) {
  const Tensor probe = Tensor::zeros(1, 1, Device::Cuda);
  const auto wait = [&] { benchmark::DoNotOptimize(probe.to(Device::Cpu).data()); };
  body();
  wait();
  using Clock = std::chrono::steady_clock;
  for (auto _ : state) {
    const auto start = Clock::now();
    for (int b = 0; b < kBatch; ++b) body();
    wait();
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
  }
  const double bytes = kBatch * model_bytes(a, width);
  state.SetBytesProcessed(
      static_cast<std::int64_t>(bytes * static_cast<double>(state.iterations())));
  state.counters["GB/s"] =
      benchmark::Counter(bytes * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  // kBatch products per iteration; inverted, the rate is seconds per product, shown in µs.
  state.counters["us/spmm"] = benchmark::Counter(
      kBatch * 1e-6, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// Times spmm(graph, x, out) on the arxiv-scale graph at width state.range(0); skips without a
// device.
template <typename Spmm>
void time_on_device(benchmark::State& state, Spmm spmm) {
  std::string why;
  const graph::Csr* a = arxiv_on_device(why);
  if (a == nullptr) {
    state.SkipWithError(("no CUDA device: " + why).c_str());
    return;
  }
  const Index width = state.range(0);
  const Tensor x = device_features(a->num_cols(), width);
  Tensor out = Tensor::empty(a->num_rows(), width, Device::Cuda);
  time_batches(state, *a, width, [&] { spmm(*a, x, out); });
}

void BM_CudaSpmmSum(benchmark::State& state) {
  time_on_device(state, [](const graph::Csr& a, const Tensor& x, Tensor& out) {
    ops::cuda::spmm_sum(a, nullptr, x, /*accumulate=*/false, out);
  });
}

void BM_CudaSpmmSumRows(benchmark::State& state) {
  time_on_device(state, [](const graph::Csr& a, const Tensor& x, Tensor& out) {
    ops::cuda::spmm_sum_rows(a.view(), {}, x, /*mean=*/false, /*accumulate=*/false, out);
  });
}

// Feature widths 32..256, manual time (time_on_device above).
void feature_widths(benchmark::internal::Benchmark* b) {
  for (const int f : {32, 64, 128, 256}) b->Arg(f);
  b->UseManualTime()->Unit(benchmark::kMicrosecond);
}

BENCHMARK(BM_CudaSpmmSum)->Apply(feature_widths);
BENCHMARK(BM_CudaSpmmSumRows)->Apply(feature_widths);

}  // namespace
}  // namespace moegnn
