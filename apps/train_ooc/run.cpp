// SPDX-License-Identifier: Apache-2.0
#include "apps/train_ooc/run.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/error.h"
#include "core/rng.h"
#include "datasets/binary_cache.h"
#include "datasets/powerlaw.h"
#include "models/options.h"
#include "models/registry.h"
#include "models/training/node_task.h"
#include "models/training/progress.h"
#include "models/training/trainer.h"
#include "ooc/disk_store.h"
#include "ooc/memory_limit.h"
#include "ooc/pack.h"
#include "ooc/pipeline.h"
#include "ooc/pool.h"

namespace moegnn::apps::ooc_app {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct Input {
  datasets::NodeDataset data;  // features memory-mapped, never read through this
  ooc::FeatureFile file;
};

Input load_input(const DataArgs& a, std::ostream& out) {
  if (a.data == DataArgs{}.data) ensure_demo_data(a.data, out);
  Input in;
  if (std::filesystem::is_directory(a.data)) {
    in.data = datasets::load_powerlaw(a.data, /*verify_checksum=*/false);
    in.file = ooc::open_feature_file(a.data / "features.npy");
  } else {
    MOEGNN_CHECK_AS(InvalidArgument, "--data",
                    datasets::dataset_cache_kind(a.data) == datasets::CacheKind::Node, a.data.string(),
                    " is neither a generated directory nor a node dataset cache (moegnn-data "
                    "generate / convert)");
    in.data = datasets::load_node_dataset_binary(a.data, /*verify_checksum=*/false);
    in.file = ooc::open_feature_file(a.data);
  }
  return in;
}

std::unique_ptr<models::NodeModel> make_model(const DataArgs& a, const Input& in) {
  MOEGNN_CHECK_AS(InvalidArgument, "--model", a.model == "sage" || a.model == "gcn", "'", a.model,
                  "' vs sage or gcn (the models that train on sampled blocks)");
  Rng init(a.seed);
  return models::make_node_model(a.model, models::parse_model_config(a.model_config),
                                 {in.file.cols, in.data.num_classes}, init);
}

std::uint64_t proc_read_bytes() {
  std::ifstream io("/proc/self/io");
  std::string key;
  std::uint64_t value = 0;
  while (io >> key >> value)
    if (key == "read_bytes:") return value;
  return 0;
}

long peak_rss_kib() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

IndexArray32 subset(const IndexArray32& ids, Index n, std::uint64_t seed) {
  std::vector<graph::NodeId> v(ids.host().begin(), ids.host().end());
  if (n <= 0 || n >= static_cast<Index>(v.size())) return ids;
  Rng rng(seed);
  for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i)
    std::swap(v[i], v[i + static_cast<std::size_t>(rng.below(v.size() - i))]);
  v.resize(static_cast<std::size_t>(n));
  std::sort(v.begin(), v.end());
  return IndexArray32(v);
}

json stats_json(const ooc::StoreStats& s, std::uint64_t cold_rows, std::uint64_t row_bytes) {
  const double useful = static_cast<double>(cold_rows * row_bytes);
  return {{"rows", s.rows},
          {"hits", s.hits},
          {"hit_rate", s.rows > 0 ? static_cast<double>(s.hits) / static_cast<double>(s.rows) : 0.0},
          {"bytes_read", s.bytes_read},
          {"requests", s.requests},
          {"cold_rows", cold_rows},
          {"read_amplification", useful > 0 ? static_cast<double>(s.bytes_read) / useful : 0.0}};
}

ooc::StoreStats minus(const ooc::StoreStats& a, const ooc::StoreStats& b) {
  return {a.rows - b.rows, a.hits - b.hits, a.bytes_read - b.bytes_read, a.requests - b.requests};
}

const char* mode_name(FeatureMode m) {
  switch (m) {
    case FeatureMode::Pack: return "pack";
    case FeatureMode::Memory: return "memory";
    case FeatureMode::Mmap: return "mmap";
    case FeatureMode::Pages: return "pages";
  }
  return "?";
}

void drop_page_cache(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}

}  // namespace

void ensure_demo_data(const std::filesystem::path& dir, std::ostream& out) {
  if (std::filesystem::exists(dir / "manifest.npy")) return;
  datasets::PowerlawOptions o;
  o.num_nodes = 20000;
  o.num_features = 64;
  o.num_classes = 8;
  o.feature_signal = 2.0;
  out << "generating a demo graph (20000 nodes, 64 features) in " << dir.string() << "\n";
  datasets::write_powerlaw(o, dir);
}

json prepare(const PrepareArgs& a, std::ostream& out) {
  const Input in = load_input(a.in, out);
  const auto model = make_model(a.in, in);
  const graph::Csr g = model->prepare(in.data.graph).csr();
  ooc::PoolOptions p;
  p.fanouts = a.fanouts;
  p.batch_size = a.batch_size;
  p.seed_fraction = a.seed_fraction;
  p.max_batches = a.max_batches;
  p.seed = a.in.seed;
  MOEGNN_CHECK_AS(InvalidArgument, "--fanouts",
                  static_cast<Index>(p.fanouts.size()) == model->num_hops(), "got ",
                  p.fanouts.size(), " fanouts vs one per layer of ", a.in.model, " (",
                  model->num_hops(), ")");
  const auto t0 = Clock::now();
  const ooc::BatchPool pool = ooc::sample_pool(g, in.data.train, p);
  const double sample_seconds = since(t0);
  const double table = static_cast<double>(in.file.rows) * static_cast<double>(in.file.row_bytes());
  ooc::PackOptions o;
  o.cache_bytes = static_cast<std::uint64_t>(a.cache_mb >= 0 ? a.cache_mb * 1048576.0
                                                             : a.cache_fraction * table);
  o.memory_bytes = static_cast<std::size_t>(a.memory_mb * 1048576.0);
  o.batched = !a.naive;
  o.engine = a.engine;
  const ooc::PackStats s =
      ooc::write_pack(a.pack, pool, ooc::graph_digest(g), in.file, o, sample_seconds);
  const ooc::PackInfo info = ooc::read_pack_info(a.pack);
  out << fmt::format(
      "sampled {} batches in {:.2f} s; {} packing: {:.2f} s, read {:.1f} MiB ({:.0f} MB/s), wrote "
      "{:.1f} MiB; cache {} rows; footprint {:.1f} MiB -> {}\n",
      pool.size(), sample_seconds, info.method, s.seconds, s.bytes_read / 1048576.0,
      s.seconds > 0 ? s.bytes_read / 1e6 / s.seconds : 0.0, s.bytes_written / 1048576.0,
      s.cache_rows, info.footprint_bytes / 1048576.0, a.pack.string());
  return {{"command", "prepare"},        {"batches", pool.size()},
          {"sample_seconds", sample_seconds}, {"pack_seconds", s.seconds},
          {"method", info.method},       {"bytes_read", s.bytes_read},
          {"bytes_written", s.bytes_written}, {"cache_rows", s.cache_rows},
          {"cold_rows", s.cold_rows},    {"input_rows", info.input_rows},
          {"footprint_bytes", info.footprint_bytes}, {"peak_rss_kib", peak_rss_kib()}};
}

json train(const TrainArgs& a, std::ostream& out) {
  const Input in = load_input(a.in, out);
  if (a.mode == FeatureMode::Memory || a.online) {
    // Refused by name, not killed by the OOM killer, when the table alone exceeds the limit.
    ooc::check_fits_in_memory(static_cast<std::uint64_t>(in.file.rows) * in.file.row_bytes(),
                              a.online ? "--online (the feature table in memory)"
                                       : "--features memory (the feature table)",
                              ooc::memory_limit(), "moegnn-train-ooc train");
  }
  const auto model = make_model(a.in, in);
  models::NodeModel& m = *model;
  const graph::Csr g = m.prepare(in.data.graph).csr();
  const ooc::GraphDigest digest = ooc::graph_digest(g);
  const auto pack = ooc::Pack::open(a.pack, &in.file, &digest);
  const ooc::PoolOptions& sampling = pack->info().sampling;
  MOEGNN_CHECK_AS(InvalidArgument, "--model", static_cast<Index>(sampling.fanouts.size()) == m.num_hops(),
                  "the pack has ", sampling.fanouts.size(), " layers of blocks vs ", m.num_hops(),
                  " in ", a.in.model);
  auto pool = std::shared_ptr<const ooc::BatchPool>(pack, &pack->pool());
  training::BlockForwardFn forward = [&m](Tape& tape, const std::vector<graph::Block>& blocks,
                                          Var x, Rng& rng) {
    return m.forward_blocks(tape, blocks, x, rng);
  };

  // Feature sources: training (by mode) and evaluation (sampled blocks, the same hot cache).
  std::shared_ptr<const training::FeatureStore> memory;
  if (a.mode == FeatureMode::Memory || a.online) {
    const ooc::DiskFeatureStore reader(in.file, nullptr);
    memory = std::make_shared<training::InMemoryFeatures>(reader.all());
  }
  std::shared_ptr<ooc::BatchFeatures> features;
  switch (a.mode) {
    case FeatureMode::Pack:
      features = ooc::packed_features(pack, {.engine = a.engine, .verify_crc = a.verify_crc});
      break;
    case FeatureMode::Memory: features = ooc::store_features(pool, memory); break;
    case FeatureMode::Mmap:
      features = ooc::store_features(pool, std::make_shared<ooc::MmapFeatureStore>(in.file));
      break;
    case FeatureMode::Pages:
      features = ooc::store_features(
          pool, std::make_shared<ooc::DiskFeatureStore>(
                    in.file, pack->cache(), ooc::DiskStoreOptions{.coalesce = false, .engine = a.engine}));
      break;
  }
  std::shared_ptr<const training::FeatureStore> eval_store =
      memory ? memory : std::make_shared<ooc::DiskFeatureStore>(in.file, pack->cache());
  training::SamplingOptions eval;
  eval.fanouts = sampling.fanouts;
  eval.batch_size = sampling.batch_size;
  eval.eval_mode = training::EvalMode::Sampled;
  eval.eval_batch_size = 4096;

  std::unique_ptr<training::NodeBatchSource> source;
  ooc::PooledBatchSource* pooled = nullptr;
  if (a.online) {
    // Online resampling every epoch over the same seeds, features in memory.
    std::vector<graph::NodeId> seeds;
    for (const ooc::PoolBatch& b : pool->batches)
      seeds.insert(seeds.end(), b.seeds.host().begin(), b.seeds.host().end());
    std::sort(seeds.begin(), seeds.end());
    source = training::sampled_block_source(m, forward, g, memory, IndexArray32(seeds), eval,
                                            a.in.seed);
  } else {
    auto p = std::make_unique<ooc::PooledBatchSource>(
        m, forward, pool, features,
        ooc::PipelineOptions{.pipelined = a.pipelined, .queue_depth = a.queue_depth,
                             .batches_per_epoch = a.batches_per_epoch},
        a.in.seed, g, eval_store, eval);
    pooled = p.get();
    source = std::move(p);
  }
  if (a.resample_every > 0) {
    MOEGNN_CHECK_AS(InvalidArgument, "--resample-every", pooled && a.mode == FeatureMode::Pack,
                    "resampling needs --features pack (each round is a pack of its own)");
    pooled->resample_every(a.resample_every, [&, pack](Index round) {
      std::filesystem::path dir = a.pack;
      dir += "-r" + std::to_string(round);
      const ooc::PackInfo& first = pack->info();
      std::shared_ptr<const ooc::Pack> next;
      try {
        next = ooc::Pack::open(dir, &in.file, &digest);
        if (next->info().sampling.seed != first.sampling.seed + static_cast<std::uint64_t>(round))
          next.reset();
      } catch (const IoError&) {
      }
      if (!next) {
        ooc::PoolOptions po = first.sampling;
        po.seed = first.sampling.seed + static_cast<std::uint64_t>(round);
        const ooc::BatchPool fresh = ooc::sample_pool(g, in.data.train, po);
        ooc::PackOptions o{.cache_bytes = first.cache_budget,
                           .memory_bytes = first.memory_bytes,
                           .batched = first.method != "naive",
                           .engine = a.engine};
        ooc::write_pack(dir, fresh, digest, in.file, o);
        next = ooc::Pack::open(dir, &in.file, &digest);
      }
      return ooc::PooledBatchSource::PoolRound{
          std::shared_ptr<const ooc::BatchPool>(next, &next->pool()),
          ooc::packed_features(next, {.engine = a.engine, .verify_crc = a.verify_crc})};
    });
  }

  training::LabeledSplit split(
      graph::NodeSplit{in.data.train, subset(in.data.val, a.eval_nodes, a.in.seed + 1),
                       subset(in.data.test, a.eval_nodes, a.in.seed + 2)},
      in.data.labels);
  training::TrainOptions t;
  t.epochs = a.epochs;
  t.lr = a.lr;
  t.weight_decay = a.weight_decay;
  t.seed = a.in.seed;
  t.evaluate_train = false;
  t.progress = false;  // the batch-level bar below replaces the epoch bar
  t.checkpoint_path = a.checkpoint;
  t.resume = a.resume;

  const Index per_epoch =
      a.online ? 0
               : (a.batches_per_epoch > 0 ? std::min(a.batches_per_epoch, pool->size()) : pool->size());
  training::ProgressBar bar(std::max<Index>(1, a.epochs * std::max<Index>(per_epoch, 1)), std::cerr,
                            a.progress && training::ProgressBar::stderr_is_terminal());
  std::unique_ptr<std::ofstream> log;
  if (!a.log.empty()) log = std::make_unique<std::ofstream>(a.log, std::ios::app);
  const std::uint64_t rb = in.file.row_bytes();
  // The features of the current round (resampling swaps them between epochs).
  auto snapshot_stats = [&] { return pooled ? pooled->features().stats() : ooc::StoreStats{}; };
  auto snapshot_cold = [&] { return pooled ? pooled->features().cold_rows() : 0; };
  const ooc::BatchFeatures* counted = pooled ? &pooled->features() : nullptr;
  if (a.drop_page_cache) drop_page_cache(in.file.path);
  ooc::StoreStats epoch_stats0 = snapshot_stats(), epoch_stats1{};
  std::uint64_t cold0 = snapshot_cold(), cold1 = 0, proc0 = proc_read_bytes(), proc1 = 0;
  Index epoch_now = 0;
  auto epoch_t0 = Clock::now();
  if (pooled)
    pooled->set_on_batch([&](Index done, Index total) {
      if (done == total) {
        if (&pooled->features() != counted) {  // a new round: its counters started at zero
          counted = &pooled->features();
          epoch_stats0 = {};
          cold0 = 0;
        }
        epoch_stats1 = snapshot_stats();
        cold1 = snapshot_cold();
        proc1 = proc_read_bytes();
      }
      if (!bar.enabled()) return;
      const ooc::StoreStats s = minus(snapshot_stats(), epoch_stats0);
      const double secs = std::max(1e-9, since(epoch_t0));
      bar.update(epoch_now * total + done,
                 fmt::format("epoch {} {:.0f} MB/s hit {:.1f} %", epoch_now + 1,
                             s.bytes_read / 1e6 / secs,
                             s.rows ? 100.0 * s.hits / s.rows : 0.0));
    });
  json epochs = json::array();
  t.on_epoch = [&](const training::EpochRecord& r) {
    json e = {{"epoch", r.epoch},         {"seconds", r.seconds},   {"loss", r.loss},
              {"val_acc", r.val_metric},  {"test_acc", r.test_metric},
              {"eval_seconds", r.eval_seconds}};
    if (pooled) {
      e["io"] = stats_json(minus(epoch_stats1, epoch_stats0), cold1 - cold0, rb);
      e["proc_read_bytes"] = proc1 - proc0;
      epoch_stats0 = snapshot_stats();
      cold0 = snapshot_cold();
      proc0 = proc_read_bytes();
    }
    if (log) *log << e.dump() << "\n" << std::flush;
    epochs.push_back(e);
    if (a.drop_page_cache) drop_page_cache(in.file.path);
    epoch_now = r.epoch;
    epoch_t0 = Clock::now();
  };
  training::Trainer trainer(
      m,
      std::make_unique<training::NodeClassificationTask>(std::move(source), split,
                                                         training::Metric::Accuracy),
      t);
  const training::FitResult result = trainer.fit();
  bar.finish();
  std::vector<double> secs;
  for (const json& e : epochs) secs.push_back(e["seconds"].get<double>());
  std::sort(secs.begin(), secs.end());
  const double median = secs.empty() ? 0.0 : secs[secs.size() / 2];
  json j = {{"command", "train"},
            {"mode", a.online ? "online" : mode_name(a.mode)},
            {"model", a.in.model},
            {"pipelined", a.pipelined},
            {"epochs", epochs},
            {"median_epoch_seconds", median},
            {"best_epoch", result.best_epoch},
            {"test_acc", result.best.test_metric},
            {"val_acc", result.best.val_metric},
            {"peak_rss_kib", peak_rss_kib()}};
  if (pooled) {
    const ooc::StageTimes st = pooled->times();
    j["stages"] = {{"read_busy", st.read_busy},         {"read_stall", st.read_stall},
                   {"assemble_busy", st.assemble_busy}, {"assemble_wait", st.assemble_wait},
                   {"assemble_stall", st.assemble_stall}, {"train_wait", st.train_wait},
                   {"batches", st.batches}};
    j["batches_per_epoch"] = per_epoch;
  }
  out << fmt::format("{} ({}): median epoch {:.3f} s over {} epochs; test acc {:.4f} (best epoch {})\n",
                     j["mode"].get<std::string>(), a.in.model, median, epochs.size(),
                     result.best.test_metric, result.best_epoch);
  if (pooled && !epochs.empty() && epochs.back().contains("io")) {
    const json& io = epochs.back()["io"];
    out << fmt::format(
        "  last epoch: read {:.1f} MiB (/proc/self/io {:.1f} MiB), amplification {:.3f}, hit rate "
        "{:.1f} %; stalls: read {:.2f} s, assemble {:.2f} s, train waited {:.2f} s\n",
        io["bytes_read"].get<double>() / 1048576.0,
        epochs.back()["proc_read_bytes"].get<double>() / 1048576.0,
        io["read_amplification"].get<double>(), 100 * io["hit_rate"].get<double>(),
        j["stages"]["read_stall"].get<double>(), j["stages"]["assemble_stall"].get<double>(),
        j["stages"]["train_wait"].get<double>());
  }
  return j;
}

json info(const std::filesystem::path& pack, std::ostream& out) {
  const ooc::PackInfo i = ooc::read_pack_info(pack);
  const double hit = i.input_rows > 0 ? 1.0 - static_cast<double>(i.cold_rows) /
                                                  static_cast<double>(i.input_rows)
                                      : 0.0;
  json j = {{"command", "info"},
            {"pack", pack.string()},
            {"features", i.features.path.string()},
            {"rows", i.features.rows},
            {"cols", i.features.cols},
            {"batches", i.num_batches},
            {"fanouts", i.sampling.fanouts},
            {"batch_size", i.sampling.batch_size},
            {"seed", i.sampling.seed},
            {"cache_rows", i.cache_rows},
            {"cache_bytes", static_cast<std::uint64_t>(i.cache_rows) * i.features.row_bytes()},
            {"hit_rate", hit},
            {"input_rows", i.input_rows},
            {"cold_rows", i.cold_rows},
            {"packed_bytes", i.packed_bytes},
            {"footprint_bytes", i.footprint_bytes},
            {"method", i.method},
            {"sample_seconds", i.sample_seconds},
            {"pack_seconds", i.stats.seconds}};
  out << fmt::format(
      "{}: {} batches (fanouts {}, batch {}), features {} ({} x {}); cache {} rows ({:.1f} MiB), "
      "hit rate {:.1f} %; packed {:.1f} MiB, footprint {:.1f} MiB; {} packing {:.2f} s, "
      "sampling {:.2f} s\n",
      pack.string(), i.num_batches, fmt::join(i.sampling.fanouts, ","), i.sampling.batch_size,
      i.features.path.string(), i.features.rows, i.features.cols, i.cache_rows,
      j["cache_bytes"].get<double>() / 1048576.0, 100 * hit, i.packed_bytes / 1048576.0,
      i.footprint_bytes / 1048576.0, i.method, i.stats.seconds, i.sample_seconds);
  return j;
}

}  // namespace moegnn::apps::ooc_app
