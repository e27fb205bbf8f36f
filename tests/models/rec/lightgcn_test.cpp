// SPDX-License-Identifier: Apache-2.0
// LightGCN against a dense computation, the registry, and a seeded end-to-end BPR run through the
// Trainer on a generated ratings graph: the loss falls and validation NDCG@10 beats the untrained
// model, for BPR-MF, LightGCN and Sheaf4Rec; two runs with one seed agree exactly.
#include <gtest/gtest.h>

#include "core/error.h"
#include "datasets/interactions.h"
#include "datasets/ratings_generator.h"
#include "models/rec/registry.h"
#include "models/training/ranking_task.h"
#include "models/training/trainer.h"

namespace moegnn::rec {
namespace {

datasets::Interactions generated() {
  datasets::RatingsGeneratorOptions o;
  o.num_users = 120;
  o.num_items = 80;
  o.num_ratings = 3000;
  o.min_ratings_per_user = 8;
  o.seed = 4;
  const datasets::RatingsDataset d = datasets::generate_ratings(o);
  return datasets::make_interactions(d, datasets::random_ratings_split(d, 0.1, 0.1, 1));
}

TEST(LightGcn, MatchesDenseLayerMean) {
  // 2 users, 2 items: u0-i0, u0-i1, u1-i1.
  datasets::Interactions x;
  x.num_users = 2;
  x.num_items = 2;
  x.train = datasets::make_user_items(2, 2, std::vector<std::int32_t>{0, 0, 1},
                                      std::vector<std::int32_t>{0, 1, 1});
  RecModelOptions o;
  o.embedding_dim = 3;
  o.num_layers = 2;
  auto model = make_rec_model("lightgcn", 2, 2, o, datasets::bipartite_graph(x));
  const Matrix e = model->embedding().value.host();
  Matrix a = Matrix::Zero(4, 4);
  const int edges[3][2] = {{0, 2}, {0, 3}, {1, 3}};
  for (const auto& ed : edges) a(ed[0], ed[1]) = a(ed[1], ed[0]) = 1.0f;
  Eigen::VectorXf d = a.rowwise().sum();
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j)
      if (a(i, j) != 0.0f) a(i, j) /= std::sqrt(d(i) * d(j));
  const Matrix e1 = a * e, e2 = a * e1;
  const Matrix expected = (e + e1 + e2) / 3.0f;
  const Tensor z = model->embeddings();
  EXPECT_TRUE(z.host().isApprox(expected, 1e-5f));
}

TEST(RecRegistry, NamesAndUnknownModel) {
  EXPECT_EQ(rec_model_names(), (std::vector<std::string>{"bpr-mf", "lightgcn", "sheaf4rec"}));
  try {
    make_rec_model("lightgnc", 2, 2, {}, graph::Csr());
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("bpr-mf, lightgcn"), std::string::npos);
  }
}

double train_and_score(const std::string& name, const datasets::Interactions& x, double* before,
                       training::FitResult* fit) {
  RecModelOptions o;
  o.embedding_dim = 16;
  o.num_layers = 2;
  auto model = make_rec_model(name, x.num_users, x.num_items, o, datasets::bipartite_graph(x));
  training::RankingTaskOptions t;
  t.batch_size = 256;
  t.ks = {10};
  auto task = std::make_unique<training::RankingTask>(*model, x.train, x.val, x.test, t);
  *before = task->score(x.val).at("ndcg", 10);
  training::TrainOptions opt;
  opt.epochs = 15;
  opt.lr = 0.01f;
  opt.progress = false;
  opt.evaluate_train = false;
  opt.seed = 3;
  training::Trainer trainer(*model, std::move(task), opt);
  *fit = trainer.fit();
  EXPECT_LT(trainer.history().back().loss, trainer.history().front().loss);
  return static_cast<training::RankingTask&>(trainer.task()).score(x.val).at("ndcg", 10);
}

TEST(RankingTask, TrainingImprovesValidationNdcgDeterministically) {
  const datasets::Interactions x = generated();
  for (const std::string name : {"bpr-mf", "lightgcn", "sheaf4rec"}) {
    double before = 0.0, before2 = 0.0;
    training::FitResult fit, fit2;
    const double after = train_and_score(name, x, &before, &fit);
    EXPECT_GT(after, before + 0.05) << name;
    EXPECT_EQ(train_and_score(name, x, &before2, &fit2), after) << name;
  }
}

}  // namespace
}  // namespace moegnn::rec
