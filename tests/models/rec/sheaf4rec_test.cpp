// SPDX-License-Identifier: Apache-2.0
// Sheaf4Rec against a dense computation of its layer (scalar tanh maps, augmented-normalised
// Laplacian, X − Δ(X W + b)) for both read-outs, a gradient check over every parameter, and the
// rejection of a graph of the wrong size. Training end to end: lightgcn_test.cpp.
#include <cmath>

#include <gtest/gtest.h>

#include "core/error.h"
#include "datasets/interactions.h"
#include "models/rec/registry.h"
#include "tests/layers/parameter_gradcheck.h"
#include "tests/support/gradcheck.h"

namespace moegnn::rec {
namespace {

// 2 users, 3 items: u0-i0, u0-i1, u1-i1, u1-i2 (nodes 0, 1 users; 2, 3, 4 items).
datasets::Interactions tiny() {
  datasets::Interactions x;
  x.num_users = 2;
  x.num_items = 3;
  x.train = datasets::make_user_items(2, 3, std::vector<std::int32_t>{0, 0, 1, 1},
                                      std::vector<std::int32_t>{0, 1, 1, 2});
  return x;
}

std::unique_ptr<RecModel> tiny_model(Readout readout, Index layers) {
  const datasets::Interactions x = tiny();
  RecModelOptions o;
  o.embedding_dim = 3;
  o.num_layers = layers;
  o.readout = readout;
  o.init_std = 0.5f;
  o.seed = 7;
  return make_rec_model("sheaf4rec", 2, 3, o, datasets::bipartite_graph(x));
}

// The layer written out densely from the parameters: [E⁰, E¹, ...].
std::vector<Matrix> dense_layers(RecModel& model, Index layers) {
  const std::vector<Parameter*> p = model.parameters();  // embedding, then per layer a, W, b
  EXPECT_EQ(p.size(), static_cast<std::size_t>(1 + 3 * layers));
  const int edges[4][2] = {{0, 2}, {0, 3}, {1, 3}, {1, 4}};
  std::vector<Matrix> out{p[0]->value.host()};
  for (Index k = 0; k < layers; ++k) {
    const Matrix& x = out.back();
    const Matrix a = p[1 + 3 * k]->value.host();  // dim × 2: [a_src | a_dst]
    const Matrix w = p[2 + 3 * k]->value.host();
    const Matrix b = p[3 + 3 * k]->value.host();
    Matrix f = Matrix::Zero(5, 5);  // f(u, v): the map of u on edge {u, v}
    for (const auto& e : edges)
      for (const auto& [u, v] : {std::pair{e[0], e[1]}, std::pair{e[1], e[0]}})
        f(u, v) = std::tanh(x.row(u).dot(a.col(0)) + x.row(v).dot(a.col(1)));
    Eigen::VectorXf s = f.array().square().rowwise().sum();
    Matrix lap = Matrix::Zero(5, 5);
    for (int u = 0; u < 5; ++u) lap(u, u) = s(u) / (s(u) + 1.0f);
    for (const auto& e : edges) {
      const int u = e[0], v = e[1];
      lap(u, v) = lap(v, u) = -f(u, v) * f(v, u) / std::sqrt((s(u) + 1.0f) * (s(v) + 1.0f));
    }
    Matrix y = x * w;
    y.rowwise() += b.row(0);
    out.push_back(x - lap * y);
  }
  return out;
}

TEST(Sheaf4Rec, MatchesDenseLayersConcatReadout) {
  auto model = tiny_model(Readout::Concat, 2);
  const std::vector<Matrix> e = dense_layers(*model, 2);
  Matrix expected(5, 9);
  expected << e[0], e[1], e[2];
  const Tensor z = model->embeddings();
  ASSERT_EQ(z.cols(), 9);
  EXPECT_TRUE(z.host().isApprox(expected, 1e-5f)) << z.host() << "\nvs\n" << expected;
  EXPECT_FALSE(e[1].isApprox(e[0], 1e-3f));  // the layer does move the embeddings
}

TEST(Sheaf4Rec, MatchesDenseLayersMeanReadout) {
  auto model = tiny_model(Readout::Mean, 2);
  const std::vector<Matrix> e = dense_layers(*model, 2);
  const Matrix expected = (e[0] + e[1] + e[2]) / 3.0f;
  const Tensor z = model->embeddings();
  ASSERT_EQ(z.cols(), 3);
  EXPECT_TRUE(z.host().isApprox(expected, 1e-5f)) << z.host() << "\nvs\n" << expected;
}

TEST(Sheaf4Rec, GradientsOfEveryParameterMatchFiniteDifferences) {
  for (const Readout r : {Readout::Concat, Readout::Mean}) {
    auto model = tiny_model(r, 2);
    EXPECT_TRUE(support::parameter_gradients_match(
        model->parameters(), [&](Tape& tape) { return model->forward(tape); }, 1e-2f, 2e-3f,
        2e-2f));
  }
}

TEST(Sheaf4Rec, RejectsAGraphOfAnotherSize) {
  const datasets::Interactions x = tiny();
  EXPECT_THROW(make_rec_model("sheaf4rec", 3, 3, {}, datasets::bipartite_graph(x)),
               InvalidArgument);
}

}  // namespace
}  // namespace moegnn::rec
