// SPDX-License-Identifier: Apache-2.0
// Loading time of real datasets from their original files against the binary cache
// (datasets/binary_cache.h): Cora (Planetoid pickles + 10 Geom-GCN split archives) and ogbl-ddi
// (gzip CSV + PyTorch legacy split files). The cache must load at least 10x faster. Data comes
// from MOEGNN_DATA_DIR (default ../shared/datasets); a missing dataset skips its benchmarks.
// Cache files are written once per run into the temp directory. The binary loads run with
// checksum verification (verify:1, the default: CRC-32 over every byte, which reads the whole
// file) and without (verify:0: the file is mapped and features/arrays view it, pages load on
// first touch; the header/table CRC and the graph structure are still checked).
#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>

#include "core/parallel.h"
#include "datasets/binary_cache.h"
#include "datasets/ogb.h"
#include "datasets/planetoid.h"
#include "tests/support/data_dir.h"

namespace moegnn::datasets {
namespace {

std::filesystem::path cache_path(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("moegnn_bench_" + name + ".mgd");
}

std::filesystem::path data(const std::string& name) {
  return support::shared_datasets_dir() / name;
}

NodeDataset load_cora() { return load_planetoid(data("cora"), "cora"); }
LinkDataset load_ddi() { return load_ogb_link(data("ogbl-ddi")); }

void BM_CoraOriginal(benchmark::State& state) {
  if (!std::filesystem::exists(data("cora"))) return state.SkipWithError("cora not found");
  state.counters["threads"] = num_threads();
  for (auto _ : state) benchmark::DoNotOptimize(load_cora().graph.num_edges());
}

void BM_CoraBinary(benchmark::State& state) {
  if (!std::filesystem::exists(data("cora"))) return state.SkipWithError("cora not found");
  static const bool written = (save_node_dataset(load_cora(), cache_path("cora")), true);
  benchmark::DoNotOptimize(written);
  state.counters["threads"] = num_threads();
  const bool verify = state.range(0) != 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(
        load_node_dataset_binary(cache_path("cora"), verify).graph.num_edges());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(
                                                   std::filesystem::file_size(cache_path("cora"))));
}

void BM_DdiOriginal(benchmark::State& state) {
  if (!std::filesystem::exists(data("ogbl-ddi"))) return state.SkipWithError("ogbl-ddi not found");
  state.counters["threads"] = num_threads();
  for (auto _ : state) benchmark::DoNotOptimize(load_ddi().graph.num_edges());
}

void BM_DdiBinary(benchmark::State& state) {
  if (!std::filesystem::exists(data("ogbl-ddi"))) return state.SkipWithError("ogbl-ddi not found");
  static const bool written = (save_link_dataset(load_ddi(), cache_path("ddi")), true);
  benchmark::DoNotOptimize(written);
  state.counters["threads"] = num_threads();
  const bool verify = state.range(0) != 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(load_link_dataset_binary(cache_path("ddi"), verify).graph.num_edges());
  state.SetBytesProcessed(state.iterations() *
                          static_cast<std::int64_t>(std::filesystem::file_size(cache_path("ddi"))));
}

BENCHMARK(BM_CoraOriginal)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CoraBinary)
    ->ArgName("verify")
    ->Arg(1)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_DdiOriginal)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DdiBinary)
    ->ArgName("verify")
    ->Arg(1)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace moegnn::datasets
