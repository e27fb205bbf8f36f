// SPDX-License-Identifier: Apache-2.0
// Gcn: parameter layout, forward against a dense composition, gradients, and a seeded end-to-end
// run on a small CSBM graph (loss falls, test accuracy clearly above chance).
#include "models/node/gcn.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "datasets/csbm.h"
#include "graph/builder.h"
#include "tests/layers/parameter_gradcheck.h"
#include "tests/models/node/node_model_fixtures.h"
#include "tests/support/gradcheck.h"

namespace moegnn::models {
namespace {

// Â = D^-1/2 (A + I) D^-1/2, computed here from the definition (independent of graph/normalize.h).
graph::Csr normalised(const graph::Csr& a) {
  std::vector<std::int32_t> src;
  std::vector<std::int32_t> dst;
  for (Index v = 0; v < a.num_nodes(); ++v) {
    for (const graph::NodeId u : a.neighbors(v)) {
      src.push_back(u);
      dst.push_back(static_cast<std::int32_t>(v));
    }
  }
  graph::BuildOptions options;
  options.num_nodes = a.num_nodes();
  options.self_loops = graph::SelfLoops::AddRemaining;
  const graph::Csr with_loops = graph::from_coo(std::span<const std::int32_t>(src),
                                                std::span<const std::int32_t>(dst), {}, options);
  Tensor values = Tensor::empty(with_loops.num_edges(), 1);
  for (Index v = 0; v < with_loops.num_nodes(); ++v) {
    const auto begin = with_loops.row_ptr()[v];
    for (auto k = begin; k < with_loops.row_ptr()[v + 1]; ++k) {
      const Index u = with_loops.col_idx()[k];
      values.data()[k] = static_cast<float>(
          1.0 / std::sqrt(static_cast<double>(with_loops.degree(v) * with_loops.degree(u))));
    }
  }
  return with_loops.with_values(values);
}

// 0 - 1 - 2 - 3 plus 0 - 2.
graph::Csr small_graph() {
  return graph::Csr(4, 4, graph::EdgeIds{0, 2, 4, 7, 8}, graph::NodeIds{1, 2, 0, 2, 0, 1, 3, 2});
}

Matrix dense(const graph::Csr& a) {
  Matrix m = Matrix::Zero(a.num_rows(), a.num_cols());
  for (Index r = 0; r < a.num_rows(); ++r)
    for (auto k = a.row_ptr()[r]; k < a.row_ptr()[r + 1]; ++k)
      m(r, a.col_idx()[k]) += a.values().data()[k];
  return m;
}

// Naive triple-loop product: the reference stays independent of Eigen's GEMM (and of GCC 12's
// false maybe-uninitialized warnings on its AVX-512 kernels).
Matrix product(const Matrix& a, const Matrix& b) {
  Matrix out = Matrix::Zero(a.rows(), b.cols());
  for (Index i = 0; i < a.rows(); ++i)
    for (Index k = 0; k < a.cols(); ++k)
      for (Index j = 0; j < b.cols(); ++j) out(i, j) += a(i, k) * b(k, j);
  return out;
}

TEST(Gcn, NamesParametersInLayerOrder) {
  Rng rng(1);
  Gcn model({.in_channels = 5, .hidden_channels = 4, .out_channels = 3, .num_layers = 3,
             .batch_norm = true},
            rng);
  std::vector<std::string> names;
  for (const Parameter* p : model.parameters()) names.push_back(p->name);
  EXPECT_EQ(names, (std::vector<std::string>{"conv0.weight", "conv0.bias", "bn0.weight",
                                             "bn0.bias", "conv1.weight", "conv1.bias",
                                             "bn1.weight", "bn1.bias", "conv2.weight",
                                             "conv2.bias"}));
  EXPECT_EQ(model.num_parameters(), (5 * 4 + 4) + 8 + (4 * 4 + 4) + 8 + (4 * 3 + 3));
}

TEST(Gcn, EvalForwardMatchesDenseComposition) {
  Rng rng(2);
  Gcn model({.in_channels = 3, .hidden_channels = 5, .out_channels = 2, .num_layers = 2}, rng);
  for (Parameter* p : model.parameters()) p->value = support::random_tensor(p->value.rows(),
                                                                             p->value.cols(), 9);
  model.eval();
  const models::PreparedGraph adj = model.prepare(small_graph());
  const Tensor x = support::random_tensor(4, 3, 10);
  Tape tape(Tape::Mode::Inference);
  const Tensor y = model.forward(tape, adj, tape.constant(x), rng).value();
  // Â · relu(Â x W0 + b0) · W1 + b1, with dropout off in evaluation mode.
  const Matrix a = dense(normalised(small_graph()));  // the definition, not prepare()
  auto& convs = model.convs();
  Matrix h = product(product(a, x.host()), convs[0].weight().value.host());
  h.rowwise() += convs[0].bias().value.host().row(0);
  for (Index i = 0; i < h.size(); ++i) h.data()[i] = std::max(h.data()[i], 0.0f);  // ReLU
  Matrix expected = product(product(a, h), convs[1].weight().value.host());
  expected.rowwise() += convs[1].bias().value.host().row(0);
  EXPECT_TRUE(support::all_close(y, Tensor::from(expected), 1e-5f, 1e-4f));
}

TEST(Gcn, GradientsMatchFiniteDifferences) {
  Rng init(4);
  Gcn model({.in_channels = 3, .hidden_channels = 4, .out_channels = 2, .num_layers = 2,
             .dropout = 0.25f, .batch_norm = true},
            init);
  const models::PreparedGraph adj = model.prepare(small_graph());
  EXPECT_TRUE(test::model_gradients_match(model, adj, 4, 3));
}

TEST(Gcn, LearnsSmallCsbmEndToEnd) {
  const datasets::NodeDataset d = test::model_csbm();
  Rng rng(3);
  Gcn model({.in_channels = 8, .hidden_channels = 16, .out_channels = 3, .num_layers = 2}, rng);
  const training::FitResult result = test::train_on(model, d, 60);
  ASSERT_EQ(result.history.size(), 60u);
  test::expect_learns(result, 0.7f, 0.3);  // chance is 1/3
}

TEST(Gcn, RejectsBadOptionsAndInput) {
  Rng rng(1);
  EXPECT_THROW(Gcn({.in_channels = 3, .out_channels = 2, .num_layers = 0}, rng), InvalidArgument);
  EXPECT_THROW(Gcn({.in_channels = 0, .out_channels = 2}, rng), InvalidArgument);
  EXPECT_THROW(Gcn({.in_channels = 3, .out_channels = 2, .dropout = 1.0f}, rng), InvalidArgument);
  Gcn model({.in_channels = 3, .out_channels = 2}, rng);
  const models::PreparedGraph adj = model.prepare(small_graph());
  Tape tape;
  EXPECT_THROW(model.forward(tape, adj, tape.constant(Tensor::zeros(4, 2)), rng), InvalidArgument);
  EXPECT_THROW(model.forward(tape, adj, tape.constant(Tensor::zeros(5, 3)), rng), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::models
