// SPDX-License-Identifier: Apache-2.0
// Offline sampling (DiskGNN §2.1): an epoch's pool of neighbour-sampled mini-batches drawn ahead
// of training, so the feature rows each batch needs are known before any is read. Training reuses
// the pool every epoch in a shuffled order. The training seeds are shuffled with the seed and
// optionally thinned to a fraction (DiskGNN's sampling ratio); batch b draws its blocks from
// Rng(Rng::bits(seed, b)), so the pool depends only on the graph, the seeds and the options.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/index_array.h"
#include "graph/block.h"
#include "graph/csr.h"

namespace moegnn::ooc {

struct PoolOptions {
  std::vector<int> fanouts{10, 5};  // per layer, input layer first; -1 takes every neighbour
  Index batch_size = 1024;
  double seed_fraction = 1.0;  // share of the training nodes used as seeds, in (0, 1]
  Index max_batches = 0;       // > 0: at most this many batches
  std::uint64_t seed = 1;
};

struct PoolBatch {
  graph::NodeIds seeds;
  std::vector<graph::Block> blocks;  // input layer first; blocks.front().src_nodes: rows to read
  const graph::NodeIds& inputs() const { return blocks.front().src_nodes; }
};

struct BatchPool {
  PoolOptions options;
  Index num_nodes = 0;
  std::vector<PoolBatch> batches;
  Index size() const { return static_cast<Index>(batches.size()); }
};

// Throws InvalidArgument for bad options, an empty training set or ids out of range.
BatchPool sample_pool(const graph::Csr& graph, const IndexArray32& train,
                      const PoolOptions& options);

// How many batches of the pool read each row (DiskGNN's node_counts).
std::vector<std::uint32_t> access_counts(const BatchPool& pool);

// Writes the pool atomically (pool.bin format, CRC-32 checked). Throws IoError.
void save_pool(const BatchPool& pool, const std::filesystem::path& path);
// Reads a pool written by save_pool. Throws IoError naming the file when it is missing, truncated
// or corrupt.
BatchPool load_pool(const std::filesystem::path& path);

}  // namespace moegnn::ooc
