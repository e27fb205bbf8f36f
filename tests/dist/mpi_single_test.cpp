// SPDX-License-Identifier: Apache-2.0
// Distributed training on one process (the single-process communicator, one part): the seam and
// the task reproduce single-process training, and bad parts are refused; no MPI needed.
#include <gtest/gtest.h>

#include "datasets/csbm.h"
#include "dist/part.h"
#include "dist/train.h"
#include "models/registry.h"
#include "models/training/fit.h"

namespace moegnn {
namespace {

TEST(DistSingle, OnePartReproducesSingleProcessTraining) {
  const datasets::NodeDataset d = datasets::csbm(
      {.num_nodes = 300, .num_classes = 3, .num_features = 8, .avg_degree = 6.0, .seed = 9});
  const std::unique_ptr<dist::Communicator> comm = dist::make_single_communicator();
  const dist::Part part = dist::build_part(d, IndexArray32(std::vector<std::int32_t>(300, 0)), 0, 1);
  const training::TrainOptions o{.epochs = 5, .seed = 3, .progress = false};
  for (const char* name : {"gcn", "sage", "gat", "gin"}) {
    SCOPED_TRACE(name);
    const models::ModelConfig config{{"dropout", "0"}, {"hidden", "8"}};
    Rng init(o.seed);
    auto m = models::make_node_model(name, config, {d.num_features(), d.num_classes}, init);
    const training::FitResult expect =
        training::fit(*m, d.graph, d.features, {{d.train, d.val, d.test}, d.labels}, o);
    const dist::DistFitResult got = dist::train_distributed(part, *comm, name, config, o);
    ASSERT_EQ(got.fit.history.size(), expect.history.size());
    for (std::size_t e = 0; e < expect.history.size(); ++e)
      EXPECT_NEAR(got.fit.history[e].loss, expect.history[e].loss, 1e-5) << "epoch " << e + 1;
    EXPECT_NEAR(got.fit.best.test_metric, expect.best.test_metric, 1e-9);
  }
}

TEST(DistSingle, RefusesAPartOfAnotherSizeAndBatchNorm) {
  const datasets::NodeDataset d = datasets::csbm({.num_nodes = 100, .num_classes = 2, .seed = 2});
  std::vector<std::int32_t> a(100, 0);
  for (std::size_t i = 0; i < 50; ++i) a[i] = 1;
  const dist::Part part = dist::build_part(d, IndexArray32(a), 0, 2);
  const std::unique_ptr<dist::Communicator> comm = dist::make_single_communicator();
  EXPECT_THROW(dist::train_distributed(part, *comm, "gcn", {}, {.epochs = 1, .progress = false}),
               InvalidArgument);
  const dist::Part whole = dist::build_part(d, IndexArray32(std::vector<std::int32_t>(100, 0)), 0, 1);
  EXPECT_THROW(dist::train_distributed(whole, *comm, "gcn", {{"norm", "batch"}},
                                       {.epochs = 1, .progress = false}),
               InvalidArgument);
}

TEST(DistSingle, MpiIsRefusedByNameWithoutTheBuildFlag) {
  if constexpr (build::kWithMpi) GTEST_SKIP() << "built with MPI";
  try {
    (void)dist::make_mpi_communicator();
    FAIL() << "no exception";
  } catch (const Unsupported& e) {
    EXPECT_NE(std::string(e.what()).find("MOEGNN_WITH_MPI"), std::string::npos);
  }
}

}  // namespace
}  // namespace moegnn
