// SPDX-License-Identifier: Apache-2.0
// Full-ranking evaluation (models/rec/ranking.h) and BPR epoch sampling (models/rec/bpr.h) on
// seeded random data: users × items scores per second (d = 64, ~2 % of each user's items masked as
// training items, ~0.5 % held out, K = 10 and 20), and BPR triples per second. Thread count in the
// context.
#include <benchmark/benchmark.h>

#include "core/parallel.h"
#include "core/rng.h"
#include "datasets/interactions.h"
#include "models/rec/bpr.h"
#include "models/rec/ranking.h"

namespace moegnn::bench {
namespace {

struct Lists {
  graph::Csr train, test;
};

Lists random_lists(Index users, Index items, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<std::int32_t> tu, ti, hu, hi;
  const auto per_user = std::max<Index>(1, items / 50);
  for (Index u = 0; u < users; ++u)
    for (Index k = 0; k < per_user; ++k) {
      const auto i = static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(items)));
      if (k % 4 == 0) {
        hu.push_back(static_cast<std::int32_t>(u));
        hi.push_back(i);
      } else {
        tu.push_back(static_cast<std::int32_t>(u));
        ti.push_back(i);
      }
    }
  return {datasets::make_user_items(users, items, tu, ti),
          datasets::make_user_items(users, items, hu, hi)};
}

Tensor random_table(Index rows, std::uint64_t seed) {
  Tensor t = Tensor::zeros(rows, 64);
  Rng rng(seed);
  for (Index k = 0; k < rows * 64; ++k) t.data()[k] = rng.normal();
  return t;
}

void BM_FullRanking(benchmark::State& state) {
  const Index users = state.range(0), items = state.range(1);
  const Lists l = random_lists(users, items, 1);
  const Tensor u = random_table(users, 2), i = random_table(items, 3);
  for (auto _ : state)
    benchmark::DoNotOptimize(rec::evaluate_ranking(u, i, l.train, l.test, {10, 20}));
  state.SetItemsProcessed(state.iterations() * users * items);  // scores ranked
  state.counters["threads"] = num_threads();
}
BENCHMARK(BM_FullRanking)
    ->ArgNames({"users", "items"})
    ->Args({1000, 2000})
    ->Args({10000, 20000})
    ->Args({10000, 50000})  // a tenth of the generated 100k × 50k graph's users
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The floor of any full ranking that forms every score: the users × items product alone, in the
// evaluation's own blocks of users (no masking, no top-K), on the same threads.
void BM_RankingProductFloor(benchmark::State& state) {
  const Index users = state.range(0), items = state.range(1);
  const Tensor u = random_table(users, 2), i = random_table(items, 3);
  const Index rows = std::max<Index>(1, std::min<Index>(state.range(2), (Index{1} << 22) / items));
  const Index blocks = (users + rows - 1) / rows;
  for (auto _ : state) {
    parallel_for(
        0, blocks,
        [&](Index b) {
          const Index lo = b * rows, hi = std::min(users, lo + rows);
          Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> block =
              u.host().middleRows(lo, hi - lo) * i.host().transpose();
          benchmark::DoNotOptimize(block.data());
        },
        1);
  }
  state.SetItemsProcessed(state.iterations() * users * items);
  state.counters["threads"] = num_threads();
}
BENCHMARK(BM_RankingProductFloor)
    ->ArgNames({"users", "items", "max_rows"})
    ->Args({10000, 50000, 256})
    ->Args({10000, 50000, 4096})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_BprEpochSampling(benchmark::State& state) {
  const Lists l = random_lists(state.range(0), state.range(1), 4);
  const rec::BprSampler sampler(l.train, state.range(1));
  Rng rng(5);
  for (auto _ : state) benchmark::DoNotOptimize(sampler.epoch(rng, 1024));
  state.SetItemsProcessed(state.iterations() * l.train.num_edges());  // triples drawn
  state.counters["threads"] = num_threads();
}
BENCHMARK(BM_BprEpochSampling)
    ->ArgNames({"users", "items"})
    ->Args({10000, 20000})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace moegnn::bench
