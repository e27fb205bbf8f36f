// SPDX-License-Identifier: Apache-2.0
// Distributed full-graph training under mpirun: per-epoch loss within 1e-5 of single-process
// training (GCN and SAGE, a generated graph and cora, METIS and random parts), bit-identical
// histories run to run, and resume == the uninterrupted run.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <optional>
#include <chrono>
#include <span>
#include <string>

#include "datasets/csbm.h"
#include "datasets/registry.h"
#include "dist/part.h"
#include "dist/partition.h"
#include "dist/train.h"
#include "models/registry.h"
#include "models/training/fit.h"
#include "tests/dist/mpi_env.h"
#include "tests/support/data_dir.h"

namespace moegnn {
namespace {

datasets::NodeDataset generated() {
  return datasets::csbm({.num_nodes = 500,
                         .num_classes = 4,
                         .num_features = 16,
                         .avg_degree = 8.0,
                         .homophily = 0.8,
                         .feature_signal = 1.0,
                         .seed = 21});
}

training::TrainOptions options(Index epochs) {
  return {.epochs = epochs, .lr = 0.01f, .seed = 7, .progress = false};
}

const models::ModelConfig kNoDropout{{"dropout", "0"}, {"input-dropout", "0"}, {"hidden", "16"}};

training::FitResult single(const datasets::NodeDataset& d, const std::string& model, Index epochs,
                           const models::ModelConfig& config = kNoDropout) {
  Rng init(options(epochs).seed);
  auto m = models::make_node_model(model, config, {d.num_features(), d.num_classes}, init);
  return training::fit(*m, d.graph, d.features, {{d.train, d.val, d.test}, d.labels},
                       options(epochs));
}

dist::Part my_part(const datasets::NodeDataset& d, dist::PartitionMethod method) {
  dist::Communicator& comm = test::world();
  const IndexArray32 assignment = dist::partition_nodes(
      d.graph, d.train, {.num_parts = comm.size(), .method = method, .seed = 1});
  return dist::build_part(d, assignment, comm.rank(), comm.size());
}

void expect_same_losses(const training::FitResult& a, const training::FitResult& b, double tol) {
  ASSERT_EQ(a.history.size(), b.history.size());
  for (std::size_t e = 0; e < a.history.size(); ++e) {
    EXPECT_NEAR(a.history[e].loss, b.history[e].loss, tol) << "epoch " << e + 1;
    EXPECT_NEAR(a.history[e].val_loss, b.history[e].val_loss, 1e-4) << "epoch " << e + 1;
  }
}

void expect_identical(const training::FitResult& a, const training::FitResult& b) {
  ASSERT_EQ(a.history.size(), b.history.size());
  for (std::size_t e = 0; e < a.history.size(); ++e) {
    EXPECT_EQ(a.history[e].loss, b.history[e].loss) << "epoch " << e + 1;
    EXPECT_EQ(a.history[e].val_loss, b.history[e].val_loss) << "epoch " << e + 1;
    EXPECT_EQ(a.history[e].test_metric, b.history[e].test_metric) << "epoch " << e + 1;
  }
}

TEST(MpiTrain, GcnAndSageMatchSingleProcessOnAGeneratedGraph) {
  const datasets::NodeDataset d = generated();
  for (const char* model : {"gcn", "sage"}) {
    SCOPED_TRACE(model);
    const training::FitResult expect = single(d, model, 8);
    const dist::Part part = my_part(d, dist::PartitionMethod::Random);
    const dist::DistFitResult got =
        dist::train_distributed(part, test::world(), model, kNoDropout, options(8));
    expect_same_losses(got.fit, expect, 1e-5);
    EXPECT_EQ(got.ranks.size(), static_cast<std::size_t>(test::world().size()));
    Index owned = 0;
    for (const dist::RankSummary& r : got.ranks) owned += r.owned;
    EXPECT_EQ(owned, d.num_nodes());
  }
}

// GCN and SAGE draw their dropout masks by global node id in full-graph training, so even with
// dropout the losses match single-process training (whatever P is).
TEST(MpiTrain, DropoutMasksByGlobalIdMatchSingleProcess) {
  const datasets::NodeDataset d = generated();
  const models::ModelConfig dropout{{"dropout", "0.5"}, {"input-dropout", "0.3"}, {"hidden", "16"}};
  const dist::Part part = my_part(d, dist::PartitionMethod::Metis);
  for (const char* model : {"gcn", "sage"}) {
    SCOPED_TRACE(model);
    const training::FitResult expect = single(d, model, 6, dropout);
    const dist::DistFitResult got =
        dist::train_distributed(part, test::world(), model, dropout, options(6));
    expect_same_losses(got.fit, expect, 1e-5);
  }
}

TEST(MpiTrain, GcnMatchesSingleProcessOnCora) {
  MOEGNN_REQUIRE_DATASET(dir, "cora");
  const datasets::NodeDataset d =
      datasets::load_node_dataset("cora", support::shared_datasets_dir(), {});
  const training::FitResult expect = single(d, "gcn", 5);
  const dist::Part part = my_part(d, dist::PartitionMethod::Metis);
  const dist::DistFitResult got =
      dist::train_distributed(part, test::world(), "gcn", kNoDropout, options(5));
  expect_same_losses(got.fit, expect, 1e-5);
  EXPECT_NEAR(got.fit.best.test_metric, expect.best.test_metric, 2.0 / 1000);
}

TEST(MpiTrain, HistoriesAreBitIdenticalRunToRunWithDropout) {
  const datasets::NodeDataset d = generated();
  const dist::Part part = my_part(d, dist::PartitionMethod::Metis);
  const models::ModelConfig dropout{{"dropout", "0.5"}, {"input-dropout", "0.2"}};
  const dist::DistFitResult a = dist::train_distributed(part, test::world(), "gcn", dropout, options(4));
  const dist::DistFitResult b = dist::train_distributed(part, test::world(), "gcn", dropout, options(4));
  expect_identical(a.fit, b.fit);
}

// Full-neighbour blocks (fanouts -1) and one batch holding every training node: each step is a
// full-graph step, so the loss matches single-process full-graph training; this checks the
// distributed sampler's blocks (owners' rows, edge values, layout) and the remote features.
TEST(MpiSampled, AllNeighboursInOneBatchMatchFullGraphTraining) {
  const datasets::NodeDataset d = generated();
  const dist::Part part = my_part(d, dist::PartitionMethod::Metis);
  for (const char* model : {"gcn", "sage"}) {
    SCOPED_TRACE(model);
    const training::FitResult expect = single(d, model, 5);
    const dist::DistFitResult got = dist::train_distributed(
        part, test::world(), model, kNoDropout, options(5),
        training::SamplingOptions{.fanouts = {-1, -1}, .batch_size = 100000});
    expect_same_losses(got.fit, expect, 1e-5);
  }
}

// Sampled training (fanouts 10, 10; a global batch of 32) on cora: the mean test accuracy over
// three seeds within noise of single-process sampled training.
TEST(MpiSampled, CoraAccuracyMatchesSingleProcessWithinNoise) {
  MOEGNN_REQUIRE_DATASET(dir, "cora");
  const datasets::NodeDataset d =
      datasets::load_node_dataset("cora", support::shared_datasets_dir(), {});
  const dist::Part part = my_part(d, dist::PartitionMethod::Metis);
  const training::SamplingOptions sampling{.fanouts = {10, 10}, .batch_size = 32};
  const models::ModelConfig config{};  // sage's defaults, dropout 0.5
  double single_sum = 0.0;
  double dist_sum = 0.0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    training::TrainOptions o = options(12);
    o.seed = seed;
    o.evaluate_train = false;
    Rng init(seed);
    auto m = models::make_node_model("sage", config, {d.num_features(), d.num_classes}, init);
    models::NodeModel& model = *m;
    training::BlockForwardFn forward = [&model](Tape& tape, const std::vector<graph::Block>& b,
                                                Var x, Rng& rng) {
      return model.forward_blocks(tape, b, x, rng);
    };
    if (test::world().rank() == 0)  // once, for every rank (broadcast below)
      single_sum += training::fit_mini_batch(model, std::move(forward), d.graph, d.features,
                                             {{d.train, d.val, d.test}, d.labels}, o, sampling)
                        .best.test_metric;
    dist_sum += dist::train_distributed(part, test::world(), "sage", config, o, sampling)
                    .fit.best.test_metric;
  }
  test::world().broadcast(std::as_writable_bytes(std::span<double>(&single_sum, 1)), 0);
  EXPECT_GT(dist_sum / 3, 0.70);  // it learns (cora, 7 classes)
  EXPECT_NEAR(dist_sum / 3, single_sum / 3, 0.03);
}

// A folder every rank sees: rank 0's temp path, broadcast.
std::filesystem::path shared_temp_dir() {
  dist::Communicator& comm = test::world();
  std::string path(256, '\0');
  if (comm.rank() == 0) {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() /
        ("moegnn-mpi-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "-" + std::to_string(std::hash<std::string>{}(std::to_string(
                   std::chrono::steady_clock::now().time_since_epoch().count()))));
    std::filesystem::create_directories(dir);
    path.replace(0, dir.string().size(), dir.string());
  }
  comm.broadcast(std::as_writable_bytes(std::span<char>(path)), 0);
  return std::filesystem::path(path.c_str());
}

class MpiResume : public ::testing::TestWithParam<bool> {};  // param: sampled mini-batches

TEST_P(MpiResume, ReproducesTheUninterruptedRun) {
  dist::Communicator& comm = test::world();
  const datasets::NodeDataset d = generated();
  const dist::Part part = my_part(d, dist::PartitionMethod::Metis);
  const models::ModelConfig dropout{{"dropout", "0.5"}, {"hidden", "16"}};
  std::optional<training::SamplingOptions> sampling;
  if (GetParam()) sampling = training::SamplingOptions{.fanouts = {5, 5}, .batch_size = 64};
  const std::filesystem::path dir = shared_temp_dir();
  training::TrainOptions full = options(6);
  full.checkpoint_path = dir / "run.ckpt";
  full.on_epoch = [&](const training::EpochRecord& r) {  // keep epoch 3's checkpoint aside
    if (r.epoch == 3 && comm.rank() == 0)
      std::filesystem::copy_file(dir / "run.ckpt", dir / "epoch3.ckpt");
  };
  const dist::DistFitResult uninterrupted =
      dist::train_distributed(part, comm, "gcn", dropout, full, sampling);
  comm.barrier();
  if (comm.rank() == 0) {
    EXPECT_TRUE(std::filesystem::exists(dir / "epoch3.ckpt"));
  }
  training::TrainOptions resumed = options(6);
  resumed.checkpoint_path = dir / "epoch3.ckpt";
  resumed.resume = true;
  const dist::DistFitResult after =
      dist::train_distributed(part, comm, "gcn", dropout, resumed, sampling);
  expect_identical(after.fit, uninterrupted.fit);
  comm.barrier();
  if (comm.rank() == 0) std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(FullAndSampled, MpiResume, ::testing::Bool());

}  // namespace
}  // namespace moegnn
