// SPDX-License-Identifier: Apache-2.0
// The read -> assemble -> train pipeline and the pool's NodeBatchSource.
#include "ooc/pipeline.h"

#include <chrono>
#include <exception>
#include <mutex>
#include <numeric>
#include <thread>

#include "core/error.h"
#include "ooc/detail/bounded_queue.h"

namespace moegnn::ooc {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

void add(StageTimes& a, const StageTimes& b) {
  a.read_busy += b.read_busy;
  a.read_stall += b.read_stall;
  a.assemble_busy += b.assemble_busy;
  a.assemble_wait += b.assemble_wait;
  a.assemble_stall += b.assemble_stall;
  a.train_wait += b.train_wait;
  a.batches += b.batches;
}

}  // namespace

class PooledBatchSource::Pipeline {
 public:
  Pipeline(BatchFeatures& features, std::vector<Index> order, int depth)
      : features_(features),
        order_(std::move(order)),
        read_q_(static_cast<std::size_t>(depth)),
        ready_q_(static_cast<std::size_t>(depth)) {
    reader_ = std::thread([this] { read_loop(); });
    assembler_ = std::thread([this] { assemble_loop(); });
  }
  ~Pipeline() {
    read_q_.close();
    ready_q_.close();
    reader_.join();
    assembler_.join();
  }

  Tensor next(Index expected) {
    const auto t0 = Clock::now();
    Item item;
    const bool got = ready_q_.pop(item);
    record([&](StageTimes& t) { t.train_wait += since(t0); ++t.batches; });
    MOEGNN_CHECK_AS(InvalidArgument, "PooledBatchSource::forward_batch", got,
                    "more batches requested than the epoch has");
    if (item.error) std::rethrow_exception(item.error);
    MOEGNN_CHECK_AS(InvalidArgument, "PooledBatchSource::forward_batch", item.batch == expected,
                    "pool batch ", item.batch, " ready vs ", expected,
                    " requested (batches must be requested in order 0, 1, ...)");
    return std::move(item.x);
  }

  StageTimes times() {
    const std::lock_guard lock(mutex_);
    return times_;
  }

 private:
  struct Item {
    Index batch = -1;
    std::unique_ptr<BatchFeatures::Raw> raw;
    Tensor x;
    std::exception_ptr error;
  };

  template <typename F>
  void record(F&& f) {
    const std::lock_guard lock(mutex_);
    f(times_);
  }

  void read_loop() {
    for (Index b : order_) {
      Item item;
      item.batch = b;
      item.raw = std::make_unique<BatchFeatures::Raw>();
      const auto t0 = Clock::now();
      try {
        features_.read(b, *item.raw);
      } catch (...) {
        item.error = std::current_exception();
      }
      const bool failed = static_cast<bool>(item.error);
      const auto t1 = Clock::now();
      const bool pushed = read_q_.push(std::move(item));
      record([&](StageTimes& t) {
        t.read_busy += std::chrono::duration<double>(t1 - t0).count();
        t.read_stall += since(t1);
      });
      if (!pushed || failed) break;
    }
    read_q_.close();
  }

  void assemble_loop() {
    for (;;) {
      Item item;
      const auto t0 = Clock::now();
      if (!read_q_.pop(item)) break;
      const auto t1 = Clock::now();
      if (!item.error) {
        try {
          item.x = features_.assemble(item.batch, *item.raw);
        } catch (...) {
          item.error = std::current_exception();
        }
      }
      item.raw.reset();
      const auto t2 = Clock::now();
      const bool failed = static_cast<bool>(item.error);
      const bool pushed = ready_q_.push(std::move(item));
      record([&](StageTimes& t) {
        t.assemble_wait += std::chrono::duration<double>(t1 - t0).count();
        t.assemble_busy += std::chrono::duration<double>(t2 - t1).count();
        t.assemble_stall += since(t2);
      });
      if (!pushed || failed) break;
    }
    ready_q_.close();
  }

  BatchFeatures& features_;
  std::vector<Index> order_;
  detail::BoundedQueue<Item> read_q_, ready_q_;
  std::mutex mutex_;
  StageTimes times_;
  std::thread reader_, assembler_;
};

PooledBatchSource::PooledBatchSource(layers::Module& model, training::BlockForwardFn forward,
                                     std::shared_ptr<const BatchPool> pool,
                                     std::shared_ptr<BatchFeatures> features,
                                     PipelineOptions pipeline, std::uint64_t seed,
                                     graph::Csr graph,
                                     std::shared_ptr<const training::FeatureStore> eval_store,
                                     const training::SamplingOptions& eval_sampling)
    : model_(model),
      forward_(std::move(forward)),
      pool_(std::move(pool)),
      features_(std::move(features)),
      options_(pipeline),
      seed_(seed) {
  MOEGNN_CHECK_AS(InvalidArgument, "PooledBatchSource", pool_ && pool_->size() >= 1 && features_,
                  "an empty pool or no features vs at least one batch");
  MOEGNN_CHECK_AS(InvalidArgument, "PooledBatchSource", options_.queue_depth >= 1,
                  "queue_depth is ", options_.queue_depth, " vs >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, "PooledBatchSource", graph.num_nodes() == pool_->num_nodes,
                  "graph of ", graph.num_nodes(), " nodes vs a pool over ", pool_->num_nodes);
  training::SamplingOptions eval = eval_sampling;
  if (eval.fanouts.empty()) eval.fanouts = pool_->options.fanouts;
  eval_ = training::sampled_block_source(model_, forward_, std::move(graph), std::move(eval_store),
                                         pool_->batches.front().seeds, eval, seed_);
}

PooledBatchSource::~PooledBatchSource() = default;

void PooledBatchSource::resample_every(Index k, std::function<PoolRound(Index)> provider) {
  MOEGNN_CHECK_AS(InvalidArgument, "PooledBatchSource::resample_every", k >= 1 && provider,
                  "k is ", k, " vs >= 1 with a pool provider");
  every_ = k;
  provider_ = std::move(provider);
  first_ = {pool_, features_};
}

Index PooledBatchSource::num_batches(Index epoch) {
  if (every_ > 0) {
    const Index round = (std::max<Index>(epoch, 1) - 1) / every_;
    if (round != round_) {
      if (pipeline_) add(sync_times_, pipeline_->times());
      pipeline_.reset();  // the old pool's reads stop before its features go
      PoolRound next = round == 0 ? first_ : provider_(round);
      MOEGNN_CHECK_AS(InvalidArgument, "PooledBatchSource::num_batches",
                      next.pool && next.pool->size() >= 1 && next.features &&
                          next.pool->num_nodes == pool_->num_nodes,
                      "round ", round, ": an empty pool, no features or another graph");
      pool_ = std::move(next.pool);
      features_ = std::move(next.features);
      round_ = round;
    }
  }
  order_.resize(static_cast<std::size_t>(pool_->size()));
  std::iota(order_.begin(), order_.end(), Index{0});
  Rng rng(Rng::bits(seed_, static_cast<std::uint64_t>(epoch)));
  for (std::size_t i = order_.size(); i > 1; --i)
    std::swap(order_[i - 1], order_[static_cast<std::size_t>(rng.below(i))]);
  if (options_.batches_per_epoch > 0 && options_.batches_per_epoch < pool_->size())
    order_.resize(static_cast<std::size_t>(options_.batches_per_epoch));
  if (options_.pipelined) {
    if (pipeline_) add(sync_times_, pipeline_->times());
    pipeline_.reset();
    pipeline_ = std::make_unique<Pipeline>(*features_, order_, options_.queue_depth);
  }
  return static_cast<Index>(order_.size());
}

training::BatchLogits PooledBatchSource::forward_batch(Tape& tape, Index b, Rng& rng) {
  MOEGNN_CHECK_AS(InvalidArgument, "PooledBatchSource::forward_batch",
                  b >= 0 && b < static_cast<Index>(order_.size()), "batch ", b, " vs [0, ",
                  order_.size(), ") (call num_batches(epoch) first)");
  const Index p = order_[static_cast<std::size_t>(b)];
  Tensor x;
  if (pipeline_) {
    x = pipeline_->next(p);
  } else {
    BatchFeatures::Raw raw;
    const auto t0 = Clock::now();
    features_->read(p, raw);
    const auto t1 = Clock::now();
    x = features_->assemble(p, raw);
    sync_times_.read_busy += std::chrono::duration<double>(t1 - t0).count();
    sync_times_.assemble_busy += since(t1);
    ++sync_times_.batches;
  }
  const PoolBatch& batch = pool_->batches[static_cast<std::size_t>(p)];
  const Var logits = forward_(tape, batch.blocks, tape.constant(x), rng);
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer", logits.valid() && logits.rows() == batch.seeds.size(),
                  "the block forward returned ", logits.valid() ? logits.rows() : 0, " rows vs ",
                  batch.seeds.size(), " seeds");
  if (on_batch_) on_batch_(b + 1, static_cast<Index>(order_.size()));
  return {logits, batch.seeds};
}

std::vector<Tensor> PooledBatchSource::predict(const std::vector<IndexArray32>& sets, Rng& rng) {
  return eval_->predict(sets, rng);
}

StageTimes PooledBatchSource::times() const {
  StageTimes t = sync_times_;
  if (pipeline_) add(t, pipeline_->times());
  return t;
}

}  // namespace moegnn::ooc
