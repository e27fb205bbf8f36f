// SPDX-License-Identifier: Apache-2.0
#include "ooc/pipeline.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/error.h"
#include "datasets/powerlaw.h"
#include "models/registry.h"
#include "models/training/node_task.h"
#include "models/training/trainer.h"
#include "tests/ooc/ooc_test_util.h"

namespace moegnn::ooc {
namespace {

using testing::TempDir;

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    datasets::write_powerlaw(testing::small_graph(2000, 24), dir_ / "data");
    data_ = datasets::powerlaw(testing::small_graph(2000, 24));
    file_ = open_feature_file(dir_ / "data" / "features.npy");
    PoolOptions o;
    o.fanouts = {4, 3};
    o.batch_size = 128;
    o.max_batches = 5;
    pool_ = sample_pool(data_.graph, data_.train, o);
    PackOptions p;
    p.cache_bytes = 300 * file_.row_bytes();
    p.memory_bytes = 1 << 20;
    write_pack(dir_ / "pack", pool_, graph_digest(data_.graph), file_, p);
    pack_ = Pack::open(dir_ / "pack", &file_);
  }

  struct Run {
    std::vector<double> losses, val;
    StageTimes times;
  };
  // 3 epochs of SAGE on the pool with features from `features`.
  Run train(std::shared_ptr<BatchFeatures> features, bool pipelined, Index epochs = 3,
            const std::filesystem::path& checkpoint = {}, bool resume = false,
            Index stop_after = 0, Index resample_every = 0) {
    Rng init(7);
    auto model = models::make_node_model("sage", {}, {file_.cols, data_.num_classes}, init);
    models::NodeModel& m = *model;
    training::BlockForwardFn forward = [&m](Tape& tape, const std::vector<graph::Block>& blocks,
                                            Var x, Rng& rng) {
      return m.forward_blocks(tape, blocks, x, rng);
    };
    auto pool = std::shared_ptr<const BatchPool>(pack_, &pack_->pool());
    training::SamplingOptions eval;
    eval.eval_mode = training::EvalMode::Sampled;
    auto source = std::make_unique<PooledBatchSource>(
        m, forward, pool, std::move(features), PipelineOptions{.pipelined = pipelined}, 11,
        data_.graph, std::make_shared<training::InMemoryFeatures>(data_.features), eval);
    PooledBatchSource* raw = source.get();
    if (resample_every > 0)
      raw->resample_every(resample_every, [this](Index round) {
        PoolOptions o = pack_->pool().options;
        o.seed += static_cast<std::uint64_t>(round);
        auto fresh = std::make_shared<const BatchPool>(sample_pool(data_.graph, data_.train, o));
        return PooledBatchSource::PoolRound{
            fresh, store_features(fresh, std::make_shared<training::InMemoryFeatures>(data_.features))};
      });
    training::TrainOptions t;
    t.epochs = epochs;
    t.progress = false;
    t.checkpoint_path = checkpoint;
    t.resume = resume;
    if (stop_after > 0)
      t.on_epoch = [stop_after](const training::EpochRecord& r) {
        if (r.epoch == stop_after) throw std::runtime_error("interrupted");
      };
    training::Trainer trainer(
        m,
        std::make_unique<training::NodeClassificationTask>(
            std::move(source), training::LabeledSplit(graph::NodeSplit{data_.train, data_.val, data_.test}, data_.labels), training::Metric::Accuracy),
        t);
    Run run;
    const training::FitResult result = trainer.fit();
    for (const training::EpochRecord& r : result.history) {
      run.losses.push_back(r.loss);
      run.val.push_back(r.val_metric);
    }
    run.times = raw->times();
    return run;
  }

  TempDir dir_;
  datasets::NodeDataset data_;
  FeatureFile file_;
  BatchPool pool_;
  std::shared_ptr<const Pack> pack_;
};

TEST_F(PipelineTest, PipelinedPackEqualsUnpipelinedInMemoryBitForBit) {
  auto pool = std::shared_ptr<const BatchPool>(pack_, &pack_->pool());
  const Run memory = train(
      store_features(pool, std::make_shared<training::InMemoryFeatures>(data_.features)), false);
  auto packed = packed_features(pack_);
  const Run piped = train(packed, true);
  ASSERT_EQ(memory.losses.size(), 3u);
  EXPECT_EQ(memory.losses, piped.losses);
  EXPECT_EQ(memory.val, piped.val);
  EXPECT_EQ(piped.times.batches, 15u);
  const StoreStats s = packed->stats();
  EXPECT_GT(s.hits, 0u);
  EXPECT_GT(s.bytes_read, 0u);
  // Read amplification: only alignment padding beyond the cold rows.
  EXPECT_LE(s.bytes_read, packed->cold_rows() * file_.row_bytes() + 15 * 2 * kDirectAlign);
  const Run unpiped = train(packed_features(pack_), false);
  EXPECT_EQ(memory.losses, unpiped.losses);
}

TEST_F(PipelineTest, InterruptedRunResumesToTheSameResult) {
  const Run full = train(packed_features(pack_), true, 4);
  const auto ckpt = dir_ / "ckpt.safetensors";
  EXPECT_THROW(train(packed_features(pack_), true, 4, ckpt, false, 2), std::runtime_error);
  ASSERT_TRUE(std::filesystem::exists(ckpt));
  const Run resumed = train(packed_features(pack_), true, 4, ckpt, true);
  EXPECT_EQ(full.losses, resumed.losses);
  EXPECT_EQ(full.val, resumed.val);
}

TEST_F(PipelineTest, ResamplingEveryKEpochsSwitchesPoolsAndResumes) {
  const Run reuse = train(packed_features(pack_), true, 4);
  const Run fresh = train(packed_features(pack_), true, 4, {}, false, 0, 2);
  ASSERT_EQ(fresh.losses.size(), 4u);
  EXPECT_EQ(reuse.losses[0], fresh.losses[0]);  // round 0: the pack's pool
  EXPECT_EQ(reuse.losses[1], fresh.losses[1]);
  EXPECT_NE(reuse.losses[2], fresh.losses[2]);  // round 1: another pool
  const auto ckpt = dir_ / "resample.safetensors";
  EXPECT_THROW(train(packed_features(pack_), true, 4, ckpt, false, 3, 2), std::runtime_error);
  const Run resumed = train(packed_features(pack_), true, 4, ckpt, true, 0, 2);
  EXPECT_EQ(fresh.losses, resumed.losses);
}

TEST_F(PipelineTest, CorruptPackedBatchIsNamedNotTrainedOn) {
  {
    std::fstream f(dir_ / "pack" / "packed.bin", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(pack_->offset(2) + 8));
    f.put('\x11');
  }
  try {
    train(packed_features(pack_), true);
    FAIL() << "trained on a corrupt pack";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("packed.bin: batch 2"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace moegnn::ooc
