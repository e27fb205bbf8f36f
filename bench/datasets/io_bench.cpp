// SPDX-License-Identifier: Apache-2.0
// Throughput of the CSV readers (datasets/io/csv.h) in MB/s of uncompressed text: in-memory
// parsing of an OGB-like edge list (two int64 columns) and a node-feature table (128 float
// columns), and streaming from a plain and a gzip file, each on 1 thread and on all threads. The
// target is >= 100 MB/s of text per core. Inputs come from a fixed seed.
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include <benchmark/benchmark.h>
#include <zlib.h>

#include "core/parallel.h"
#include "datasets/io/csv.h"

namespace moegnn::datasets::io {
namespace {

constexpr int kSeed = 12345;

// 1M lines "src,dst" with ids below 2^22, like ogbl-*/raw/edge.csv (about 15 MB).
const std::string& edge_text() {
  static const std::string text = [] {
    std::mt19937_64 rng(kSeed);
    std::uniform_int_distribution<int> id(0, (1 << 22) - 1);
    std::string t;
    for (int r = 0; r < 1000000; ++r)
      t += std::to_string(id(rng)) + ',' + std::to_string(id(rng)) + '\n';
    return t;
  }();
  return text;
}

// 10000 lines of 128 values in [-1, 1) with 6 decimals, like ogbn-*/raw/node-feat.csv (~12 MB).
const std::string& feature_text() {
  static const std::string text = [] {
    std::mt19937_64 rng(kSeed);
    std::uniform_real_distribution<double> x(-1.0, 1.0);
    std::string t;
    char field[32];
    for (int r = 0; r < 10000; ++r) {
      for (int c = 0; c < 128; ++c) {
        std::snprintf(field, sizeof(field), "%.6f%c", x(rng), c == 127 ? '\n' : ',');
        t += field;
      }
    }
    return t;
  }();
  return text;
}

// The edge text written once as a plain and a gzip (level 6) file in the temp directory.
std::string edge_file(bool gzip) {
  const auto path = std::filesystem::temp_directory_path() /
                    (gzip ? "moegnn_bench_edges.csv.gz" : "moegnn_bench_edges.csv");
  if (!std::filesystem::exists(path)) {
    gzFile f = gzopen(path.c_str(), gzip ? "wb6" : "wbT");  // T: write without compression
    gzwrite(f, edge_text().data(), static_cast<unsigned>(edge_text().size()));
    gzclose(f);
  }
  return path.string();
}

void set_threads(benchmark::State& state) {
  set_num_threads(static_cast<int>(state.range(0)));
  state.counters["threads"] = num_threads();
}

void BM_ParseCsvInt64(benchmark::State& state) {
  set_threads(state);
  const std::string& text = edge_text();
  for (auto _ : state) benchmark::DoNotOptimize(parse_csv_int64(text, "edges.csv").values.data());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
  set_num_threads(0);
}

void BM_ParseCsvFloat(benchmark::State& state) {
  set_threads(state);
  const std::string& text = feature_text();
  for (auto _ : state) benchmark::DoNotOptimize(parse_csv_float(text, "feat.csv").data());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
  set_num_threads(0);
}

void BM_ReadCsvInt64Plain(benchmark::State& state) {
  set_threads(state);
  const std::string path = edge_file(false);
  for (auto _ : state) benchmark::DoNotOptimize(read_csv_int64(path).values.data());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(edge_text().size()));
  set_num_threads(0);
}

void BM_ReadCsvInt64Gzip(benchmark::State& state) {
  set_threads(state);
  const std::string path = edge_file(true);
  for (auto _ : state) benchmark::DoNotOptimize(read_csv_int64(path).values.data());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(edge_text().size()));
  set_num_threads(0);
}

// threads = 1 is timed by CPU time, so its MB/s is the per-core rate even on a busy machine;
// threads = 0 (all hardware threads) by wall-clock time.
void per_core_and_all(benchmark::internal::Benchmark* b) {
  b->ArgName("threads")->Unit(benchmark::kMillisecond);
}
BENCHMARK(BM_ParseCsvInt64)->Apply(per_core_and_all)->Arg(1);
BENCHMARK(BM_ParseCsvInt64)->Apply(per_core_and_all)->Arg(0)->UseRealTime();
BENCHMARK(BM_ParseCsvFloat)->Apply(per_core_and_all)->Arg(1);
BENCHMARK(BM_ParseCsvFloat)->Apply(per_core_and_all)->Arg(0)->UseRealTime();
BENCHMARK(BM_ReadCsvInt64Plain)->Apply(per_core_and_all)->Arg(1);
BENCHMARK(BM_ReadCsvInt64Plain)->Apply(per_core_and_all)->Arg(0)->UseRealTime();
BENCHMARK(BM_ReadCsvInt64Gzip)->Apply(per_core_and_all)->Arg(1);
BENCHMARK(BM_ReadCsvInt64Gzip)->Apply(per_core_and_all)->Arg(0)->UseRealTime();

}  // namespace
}  // namespace moegnn::datasets::io
