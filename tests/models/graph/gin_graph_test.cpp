// SPDX-License-Identifier: Apache-2.0
// GinGraph, the graph-model registry and GraphClassificationTask: a block-diagonal batch gives the
// same rows as each graph on its own (every pool and readout), registry names and keys, and a
// seeded Trainer run on generated labelled graphs that learns (accuracy well above chance) and
// repeats bit for bit.
#include <gtest/gtest.h>

#include "core/error.h"
#include "datasets/graph_dataset.h"
#include "models/graph/gin_graph.h"
#include "models/graph/graph_registry.h"
#include "models/training/graph_task.h"
#include "models/training/trainer.h"
#include "tests/support/gradcheck.h"

namespace moegnn::models {
namespace {

using support::all_close;

GinGraphOptions small(Index in, Index out) {
  GinGraphOptions o;
  o.in_channels = in;
  o.out_channels = out;
  o.hidden_channels = 16;
  o.num_layers = 3;
  return o;
}

TEST(GinGraph, BatchEqualsGraphByGraph) {
  const datasets::GraphDataset d = datasets::random_graph_dataset({.num_graphs = 12, .seed = 2});
  for (const char* pool : {"sum", "mean", "max"})
    for (const char* readout : {"last", "all"}) {
      GinGraphOptions o = small(d.num_features(), 3);
      o.pool = pool;
      o.readout = readout;
      Rng init(1);
      GinGraph model(o, init);
      model.eval();  // batch norm with running statistics: rows do not depend on the batch
      Rng rng(3);
      Tape tape(Tape::Mode::Inference);
      const Tensor all = model.forward(tape, d.graphs, rng).value();
      ASSERT_EQ(all.rows(), 12);
      for (graph::NodeId g = 0; g < 12; ++g) {
        Tape one(Tape::Mode::Inference);
        const std::vector<graph::NodeId> id{g};
        const Tensor row = model.forward(one, graph::select_graphs(d.graphs, id), rng).value();
        EXPECT_TRUE(all_close(row, Tensor::from(Matrix(all.host().row(g))), 1e-4f, 1e-4f))
            << pool << " " << readout << " graph " << g;
      }
    }
}

TEST(GinGraph, RegistryBuildsByNameAndRejectsUnknownKeys) {
  Rng rng(1);
  auto model = make_graph_model("gin", {{"hidden", "8"}, {"layers", "2"}, {"pool", "mean"}},
                                {.in_channels = 9, .out_channels = 3}, rng);
  EXPECT_EQ(model->out_channels(), 3);
  EXPECT_EQ(model->origin().options.at("pool"), "mean");
  EXPECT_NE(model->describe().find("hidden 8, layers 2, pool mean"), std::string::npos);
  EXPECT_EQ(model->parameters().front()->name, "conv0.nn.lin0.weight");
  try {
    make_graph_model("gni", {}, {9, 3}, rng);
    FAIL() << "no throw";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'gin'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(make_graph_model("gin", {{"hiden", "8"}}, {9, 3}, rng), InvalidArgument);
  EXPECT_THROW(make_graph_model("gin", {{"pool", "min"}}, {9, 3}, rng), InvalidArgument);
}

training::FitResult train_once(const datasets::GraphDataset& d, const datasets::GraphFold& fold,
                               std::vector<training::EpochRecord>* history) {
  Rng init(11);
  GinGraph model(small(d.num_features(), d.num_classes), init);
  training::GraphSplit split{d.labels, fold.train, fold.val, fold.test};
  auto task = std::make_unique<training::GraphClassificationTask>(
      model, d.graphs, split, training::GraphTaskOptions{.batch_size = 32});
  training::TrainOptions options;
  options.epochs = 25;
  options.lr = 0.01f;
  options.seed = 5;
  options.progress = false;
  training::Trainer trainer(model, std::move(task), options);
  const training::FitResult result = trainer.fit();
  *history = result.history;
  return result;
}

TEST(GraphClassificationTask, TrainerLearnsRandomGraphsDeterministically) {
  const datasets::GraphDataset d = datasets::random_graph_dataset({.num_graphs = 300, .seed = 4});
  const datasets::GraphFold fold = datasets::stratified_k_fold(d.labels, 10, 1)[0];
  std::vector<training::EpochRecord> first, second;
  const training::FitResult a = train_once(d, fold, &first);
  train_once(d, fold, &second);
  ASSERT_EQ(first.size(), 25u);
  EXPECT_LT(first.back().loss, first.front().loss);
  EXPECT_GT(a.best.test_metric, 0.6);  // 3 balanced classes: chance is 1/3
  for (std::size_t e = 0; e < first.size(); ++e) {
    EXPECT_EQ(first[e].loss, second[e].loss) << "epoch " << e + 1;
    EXPECT_EQ(first[e].val_metric, second[e].val_metric) << "epoch " << e + 1;
  }
}

TEST(GraphClassificationTask, RejectsBadSplits) {
  const datasets::GraphDataset d = datasets::random_graph_dataset({.num_graphs = 20, .seed = 4});
  Rng init(1);
  GinGraph model(small(d.num_features(), 3), init);
  EXPECT_THROW(training::GraphClassificationTask(model, d.graphs, {d.labels, {}, {}, {}}),
               InvalidArgument);
  EXPECT_THROW(training::GraphClassificationTask(model, d.graphs, {d.labels, {0, 20}, {}, {}}),
               InvalidArgument);
  GinGraph binary(small(d.num_features(), 2), init);  // label 2 is no class of a 2-class model
  EXPECT_THROW(training::GraphClassificationTask(binary, d.graphs, {d.labels, {0}, {}, {}}),
               InvalidArgument);
}

}  // namespace
}  // namespace moegnn::models
