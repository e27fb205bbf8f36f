// SPDX-License-Identifier: Apache-2.0
// CSBM generator: counts, symmetry, realised homophily, feature signal, determinism, bad options.
#include "datasets/csbm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.h"
#include "core/parallel.h"
#include "datasets/homophily.h"

namespace moegnn::datasets {
namespace {

bool has_edge(const graph::Csr& g, Index row, graph::NodeId col) {
  const auto n = g.neighbors(row);
  return std::binary_search(n.begin(), n.end(), col);
}

TEST(Csbm, CountsSymmetryAndSplit) {
  const NodeDataset d = csbm({.num_nodes = 2000, .num_classes = 4, .num_features = 8,
                              .avg_degree = 10.0, .homophily = 0.7, .seed = 3});
  EXPECT_NO_THROW(check(d));
  EXPECT_EQ(d.num_nodes(), 2000);
  EXPECT_EQ(d.num_features(), 8);
  EXPECT_EQ(d.num_classes, 4);
  // 10 000 undirected edges drawn -> about 20 000 stored entries, few merged duplicates.
  EXPECT_LE(d.graph.num_edges(), 20000);
  EXPECT_GE(d.graph.num_edges(), 19500);
  for (Index v = 0; v < d.num_nodes(); ++v) {
    for (const graph::NodeId u : d.graph.neighbors(v)) {
      ASSERT_NE(u, v) << "self-loop at " << v;
      ASSERT_TRUE(has_edge(d.graph, u, static_cast<graph::NodeId>(v)))
          << "edge " << u << " -> " << v << " has no reverse";
    }
  }
  std::vector<Index> per_class(4, 0);
  for (const auto y : d.labels.host()) ++per_class[static_cast<std::size_t>(y)];
  EXPECT_EQ(per_class, (std::vector<Index>{500, 500, 500, 500}));
  EXPECT_EQ(d.train.size(), 1200);
  EXPECT_EQ(d.val.size(), 400);
  EXPECT_EQ(d.test.size(), 400);
}

TEST(Csbm, RealisedHomophilyMatchesRequested) {
  for (const double h : {0.1, 0.5, 0.9, 1.0}) {
    const NodeDataset d = csbm({.num_nodes = 3000, .num_classes = 5, .num_features = 4,
                                .avg_degree = 10.0, .homophily = h, .seed = 11});
    EXPECT_NEAR(edge_homophily(d.graph, d.labels), h, 0.02) << "requested " << h;
  }
}

// Mean feature vector of each class, as rows of a num_classes × F matrix.
Matrix class_means(const NodeDataset& d) {
  Matrix means = Matrix::Zero(d.num_classes, d.num_features());
  std::vector<Index> count(static_cast<std::size_t>(d.num_classes), 0);
  for (Index v = 0; v < d.num_nodes(); ++v) {
    means.row(d.labels[v]) += d.features.host().row(v);
    ++count[static_cast<std::size_t>(d.labels[v])];
  }
  for (Index c = 0; c < d.num_classes; ++c) means.row(c) /= static_cast<float>(count[c]);
  return means;
}

TEST(Csbm, FeatureSignalSetsClassMeanNorm) {
  for (const double signal : {0.0, 3.0}) {
    const NodeDataset d = csbm({.num_nodes = 2000, .num_classes = 4, .num_features = 8,
                                .avg_degree = 2.0, .feature_signal = signal, .seed = 5});
    const Matrix means = class_means(d);
    // 500 samples per class: the mean of the unit noise has norm about sqrt(8 / 500) = 0.13.
    for (Index c = 0; c < 4; ++c) EXPECT_NEAR(means.row(c).norm(), signal, 0.35) << "class " << c;
    // Noise is standard normal: the variance around each node's class mean is about 1.
    double squares = 0.0;
    for (Index v = 0; v < d.num_nodes(); ++v)
      squares += (d.features.host().row(v) - means.row(d.labels[v])).squaredNorm();
    EXPECT_NEAR(squares / static_cast<double>(d.features.size()), 1.0, 0.05);
  }
}

TEST(Csbm, DeterministicForSeedOnAnyThreadCount) {
  const CsbmOptions options{.num_nodes = 5000, .num_classes = 3, .num_features = 6,
                            .avg_degree = 6.0, .homophily = 0.6, .seed = 21};
  set_num_threads(1);
  const NodeDataset one = csbm(options);
  set_num_threads(2);
  const NodeDataset two = csbm(options);
  set_num_threads(0);
  EXPECT_EQ(one.graph.row_ptr().to_vector(), two.graph.row_ptr().to_vector());
  EXPECT_EQ(one.graph.col_idx().to_vector(), two.graph.col_idx().to_vector());
  EXPECT_EQ(one.labels.to_vector(), two.labels.to_vector());
  EXPECT_EQ(one.train.to_vector(), two.train.to_vector());
  EXPECT_TRUE(std::equal(one.features.data(), one.features.data() + one.features.size(),
                         two.features.data()));
  CsbmOptions other = options;
  other.seed = 22;
  EXPECT_NE(csbm(other).graph.col_idx().to_vector(), one.graph.col_idx().to_vector());
}

TEST(Csbm, RejectsBadOptions) {
  const CsbmOptions good{.num_nodes = 100, .num_classes = 3};
  auto with = [&](auto change) {
    CsbmOptions o = good;
    change(o);
    return o;
  };
  EXPECT_NO_THROW(csbm(good));
  EXPECT_THROW(csbm(with([](CsbmOptions& o) { o.num_nodes = 1; })), InvalidArgument);
  EXPECT_THROW(csbm(with([](CsbmOptions& o) { o.num_classes = 0; })), InvalidArgument);
  EXPECT_THROW(csbm(with([](CsbmOptions& o) { o.num_classes = 1; })), InvalidArgument);
  EXPECT_THROW(csbm(with([](CsbmOptions& o) { o.num_features = 0; })), InvalidArgument);
  EXPECT_THROW(csbm(with([](CsbmOptions& o) { o.avg_degree = -1.0; })), InvalidArgument);
  EXPECT_THROW(csbm(with([](CsbmOptions& o) { o.avg_degree = 100.0; })), InvalidArgument);
  EXPECT_THROW(csbm(with([](CsbmOptions& o) { o.homophily = 1.5; })), InvalidArgument);
  EXPECT_THROW(csbm(with([](CsbmOptions& o) { o.feature_signal = NAN; })), InvalidArgument);
  EXPECT_THROW(csbm(with([](CsbmOptions& o) { o.train_fraction = 0.9; })), InvalidArgument);
  try {
    csbm(with([](CsbmOptions& o) { o.homophily = -0.1; }));
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("csbm: homophily"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace moegnn::datasets
