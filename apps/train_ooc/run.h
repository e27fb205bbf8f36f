// SPDX-License-Identifier: Apache-2.0
// moegnn-train-ooc's three commands as functions, so tests run the app's own code in-process.
//   prepare: load the graph (features stay on disk), sample the pool offline, pack it.
//   train:   open the pack (refusing a stale, mismatched, truncated or incomplete one) and train
//            SAGE or GCN on its batches through the pipelined reader; or, for comparisons, the same
//            batches with the features in memory, memory-mapped, or read a page per row.
//   info:    what manifest.json records (footprint, cache rows, hit rate, packing time).
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/types.h"
#include "ooc/direct_io.h"

namespace moegnn::apps::ooc_app {

// Where the inputs live: a directory written by `moegnn-data generate` (features.npy read from
// disk) or a binary dataset cache (`moegnn-data convert`; its features section is read).
struct DataArgs {
  std::filesystem::path data = "ooc-demo/data";
  std::string model = "sage";  // sage | gcn (the models that train on blocks)
  std::string model_config;    // e.g. "hidden=128,dropout=0.5"
  std::uint64_t seed = 1;
};

struct PrepareArgs {
  DataArgs in;
  std::filesystem::path pack = "ooc-demo/pack";
  std::vector<int> fanouts{10, 5};
  Index batch_size = 1024;
  double seed_fraction = 1.0;
  Index max_batches = 0;
  double cache_fraction = 0.1;  // of the feature table; ignored when cache_mb >= 0
  double cache_mb = -1;
  double memory_mb = 256;
  bool naive = false;
  ooc::IoEngineKind engine = ooc::IoEngineKind::Auto;
};

enum class FeatureMode { Pack, Memory, Mmap, Pages };

struct TrainArgs {
  DataArgs in;
  std::filesystem::path pack = "ooc-demo/pack";
  FeatureMode mode = FeatureMode::Pack;
  Index epochs = 3;
  float lr = 0.01f;
  float weight_decay = 0.0f;
  bool pipelined = true;
  int queue_depth = 2;
  Index batches_per_epoch = 0;
  Index eval_nodes = 2000;  // random validation / test nodes scored each epoch (0: all)
  bool online = false;      // resample every epoch in memory instead of the pack (accuracy check)
  // > 0: a fresh offline pool every k epochs: round r (r >= 1) trains on <pack>-r<r>, prepared
  // with seed + r and the pack's own settings when it is missing or stale (pack mode only).
  Index resample_every = 0;
  bool verify_crc = true;
  ooc::IoEngineKind engine = ooc::IoEngineKind::Auto;
  std::filesystem::path checkpoint;
  bool resume = false;
  std::filesystem::path log;  // JSON lines, one per epoch
  bool progress = true;
  // Evict the feature file from the page cache before each epoch (posix_fadvise DONTNEED), so
  // the mmap baseline reads the device as a table larger than memory would.
  bool drop_page_cache = false;
};

// Writes a small generated dataset to `dir` when it has none (the no-flag default).
void ensure_demo_data(const std::filesystem::path& dir, std::ostream& out);
nlohmann::json prepare(const PrepareArgs& args, std::ostream& out);
nlohmann::json train(const TrainArgs& args, std::ostream& out);
nlohmann::json info(const std::filesystem::path& pack, std::ostream& out);

}  // namespace moegnn::apps::ooc_app
