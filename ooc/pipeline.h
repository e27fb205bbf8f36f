// SPDX-License-Identifier: Apache-2.0
// The pipelined trainer's input side (DiskGNN §2.5): for the pool batches of an epoch, in order,
//   read     (I/O thread)       the batch's packed cold rows, one sequential O_DIRECT request set
//                               through io_uring or the pread pool,
//   assemble (assembly thread)  hot rows from the cache plus packed rows into the input tensor,
//   train    (caller)           the model's block forward / backward / step,
// joined by bounded queues (queue_depth each, DiskGNN uses 2), so a fast stage blocks when the next
// one falls behind (back-pressure) and at most 2 × queue_depth + 2 batches are in memory. Each
// stage's busy and stalled time is measured. Unpipelined, the caller runs read and assemble itself:
// the tensors, hence the training math, are the same either way.
//
// PooledBatchSource is a training::NodeBatchSource over a pool: each epoch runs every pool batch
// once, in an order shuffled from (seed, epoch) (DiskGNN reuses one epoch's samples), or switches
// to a fresh pool every k epochs (resample_every), so the Trainer, its losses, checkpoints and
// resume are the in-memory ones.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "models/training/batch_source.h"
#include "ooc/direct_io.h"
#include "ooc/disk_store.h"
#include "ooc/pack.h"
#include "ooc/pool.h"

namespace moegnn::ooc {

// The input rows of one pool batch, produced in two stages.
class BatchFeatures {
 public:
  struct Raw {
    AlignedBuffer buffer;  // read stage output (packed rows)
    Tensor ready;          // or the finished tensor (a FeatureStore source reads and assembles)
  };
  virtual ~BatchFeatures() = default;
  virtual void read(Index batch, Raw& raw) = 0;
  virtual Tensor assemble(Index batch, Raw& raw) = 0;
  // Rows served, cache hits and bytes read so far (bytes: from the device).
  virtual StoreStats stats() const = 0;
  // Rows the reads had to bring in (cold rows), for read amplification.
  virtual std::uint64_t cold_rows() const { return 0; }
};

struct PackedReadOptions {
  IoEngineKind engine = IoEngineKind::Auto;
  bool verify_crc = true;  // check each batch's CRC-32 (a corrupt pack is named, never trained on)
  bool direct = true;
};

// Reads from a pack: one region read per batch plus the hot cache.
std::shared_ptr<BatchFeatures> packed_features(std::shared_ptr<const Pack> pack,
                                               PackedReadOptions options = {});
// Any FeatureStore (in memory, DiskFeatureStore, MmapFeatureStore): gather of the batch's inputs
// in the read stage. The baselines of the benchmark, and the in-memory reference.
std::shared_ptr<BatchFeatures> store_features(std::shared_ptr<const BatchPool> pool,
                                              std::shared_ptr<const training::FeatureStore> store);

struct PipelineOptions {
  bool pipelined = true;
  int queue_depth = 2;
  Index batches_per_epoch = 0;  // > 0: only the first this many of each epoch's order (benchmarks)
};

struct StageTimes {
  double read_busy = 0, read_stall = 0;  // stall: blocked on a full queue (back-pressure)
  double assemble_busy = 0, assemble_wait = 0, assemble_stall = 0;  // wait: starved of input
  double train_wait = 0;  // the trainer waiting for features
  std::uint64_t batches = 0;
};

class PooledBatchSource final : public training::NodeBatchSource {
 public:
  // eval: how predict() runs (sampled blocks over `graph` through `eval_store`, or the full
  // graph), as training::sampled_block_source. Throws InvalidArgument for an empty pool, a
  // queue_depth < 1 or sizes that disagree.
  PooledBatchSource(layers::Module& model, training::BlockForwardFn forward,
                    std::shared_ptr<const BatchPool> pool, std::shared_ptr<BatchFeatures> features,
                    PipelineOptions pipeline, std::uint64_t seed, graph::Csr graph,
                    std::shared_ptr<const training::FeatureStore> eval_store,
                    const training::SamplingOptions& eval_sampling);
  ~PooledBatchSource() override;

  Index num_batches(Index epoch) override;
  training::BatchLogits forward_batch(Tape& tape, Index batch, Rng& rng) override;
  std::vector<Tensor> predict(const std::vector<IndexArray32>& sets, Rng& rng) override;
  Index num_nodes() const override { return pool_->num_nodes; }

  StageTimes times() const;
  // Resampling every k epochs: epochs 1..k train on the pool given to the constructor (round 0),
  // epochs rk+1..(r+1)k on provider(r)'s pool and features (a fresh offline pool, e.g. another
  // pack). Resumed runs ask for the round of the epoch they resume at. k < 1 throws InvalidArgument.
  struct PoolRound {
    std::shared_ptr<const BatchPool> pool;
    std::shared_ptr<BatchFeatures> features;
  };
  void resample_every(Index k, std::function<PoolRound(Index round)> provider);
  // Called after each training batch with (batches done this epoch, batches of the epoch).
  void set_on_batch(std::function<void(Index, Index)> on_batch) { on_batch_ = std::move(on_batch); }
  const BatchFeatures& features() const { return *features_; }

 private:
  class Pipeline;
  layers::Module& model_;
  training::BlockForwardFn forward_;
  std::shared_ptr<const BatchPool> pool_;
  std::shared_ptr<BatchFeatures> features_;
  PipelineOptions options_;
  std::uint64_t seed_;
  std::vector<Index> order_;
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<training::NodeBatchSource> eval_;
  StageTimes sync_times_;
  std::function<void(Index, Index)> on_batch_;
  Index every_ = 0;
  Index round_ = 0;
  std::function<PoolRound(Index)> provider_;
  PoolRound first_;
};

}  // namespace moegnn::ooc
