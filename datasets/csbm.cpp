// SPDX-License-Identifier: Apache-2.0
// The contextual stochastic block model generator.
#include "datasets/csbm.h"

#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <vector>

#include "core/error.h"
#include "core/parallel.h"
#include "core/rng.h"
#include "core/shuffle.h"
#include "datasets/split.h"
#include "graph/builder.h"

namespace moegnn::datasets {
namespace {

void check_options(const CsbmOptions& o) {
  MOEGNN_CHECK_AS(InvalidArgument, "csbm",
                  o.num_nodes >= 2 && o.num_nodes <= std::numeric_limits<std::int32_t>::max(),
                  "num_nodes is ", o.num_nodes, " vs [2, 2^31)");
  MOEGNN_CHECK_AS(InvalidArgument, "csbm", o.num_classes >= 1 && o.num_classes <= o.num_nodes,
                  "num_classes is ", o.num_classes, " vs [1, num_nodes = ", o.num_nodes, "]");
  MOEGNN_CHECK_AS(InvalidArgument, "csbm", o.homophily >= 0.0 && o.homophily <= 1.0,
                  "homophily is ", o.homophily, " vs [0, 1]");
  MOEGNN_CHECK_AS(InvalidArgument, "csbm", o.num_classes >= 2 || o.homophily == 1.0,
                  "one class with homophily ", o.homophily,
                  " vs 1; inter-class edges need at least two classes");
  MOEGNN_CHECK_AS(InvalidArgument, "csbm", o.num_features >= 1, "num_features is ",
                  o.num_features, " vs >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, "csbm",
                  o.avg_degree >= 0.0 && o.avg_degree <= static_cast<double>(o.num_nodes - 1),
                  "avg_degree is ", o.avg_degree, " vs [0, num_nodes - 1 = ", o.num_nodes - 1, "]");
  MOEGNN_CHECK_AS(InvalidArgument, "csbm",
                  std::isfinite(o.feature_signal) && o.feature_signal >= 0.0,
                  "feature_signal is ", o.feature_signal, " vs finite and >= 0");
}

// Balanced classes (node i of a random permutation gets class i mod C).
std::vector<std::int32_t> draw_labels(Index n, Index num_classes, Rng& rng) {
  std::vector<std::int32_t> labels(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) labels[static_cast<std::size_t>(i)] =
      static_cast<std::int32_t>(i % num_classes);
  shuffle(std::span<std::int32_t>(labels), rng);
  return labels;
}

// Nodes grouped by class: members[offset[c] .. offset[c + 1]) are the nodes of class c.
struct ClassIndex {
  std::vector<std::int32_t> members;
  std::vector<Index> offset;
};

ClassIndex index_classes(const std::vector<std::int32_t>& labels, Index num_classes) {
  ClassIndex index;
  index.offset.assign(static_cast<std::size_t>(num_classes) + 1, 0);
  for (const std::int32_t y : labels) ++index.offset[static_cast<std::size_t>(y) + 1];
  std::partial_sum(index.offset.begin(), index.offset.end(), index.offset.begin());
  std::vector<Index> cursor(index.offset.begin(), index.offset.end() - 1);
  index.members.resize(labels.size());
  for (std::size_t v = 0; v < labels.size(); ++v)
    index.members[static_cast<std::size_t>(cursor[static_cast<std::size_t>(labels[v])]++)] =
        static_cast<std::int32_t>(v);
  return index;
}

// Edge e draws from its own counter-based stream, so the edge list is thread-count independent.
graph::Csr draw_graph(const CsbmOptions& o, const std::vector<std::int32_t>& labels,
                      std::uint64_t key) {
  const ClassIndex classes = index_classes(labels, o.num_classes);
  const auto num_edges =
      static_cast<Index>(std::llround(static_cast<double>(o.num_nodes) * o.avg_degree / 2.0));
  std::vector<std::int32_t> src(static_cast<std::size_t>(num_edges));
  std::vector<std::int32_t> dst(static_cast<std::size_t>(num_edges));
  const auto n = static_cast<std::uint64_t>(o.num_nodes);
  parallel_for(0, num_edges, [&](Index e) {
    Rng rng(Rng::bits(key, static_cast<std::uint64_t>(e)));
    const auto u = static_cast<std::int32_t>(rng.below(n));
    const auto c = static_cast<std::size_t>(labels[static_cast<std::size_t>(u)]);
    const Index lo = classes.offset[c];
    const auto size = static_cast<std::uint64_t>(classes.offset[c + 1] - lo);
    std::int32_t v = u;
    if (static_cast<double>(rng.uniform()) < o.homophily) {
      // Same class; redraw a self-loop (a one-node class keeps it and the builder drops it).
      for (int tries = 0; v == u && tries < 64 && size > 1; ++tries)
        v = classes.members[static_cast<std::size_t>(lo + static_cast<Index>(rng.below(size)))];
    } else {
      // Uniform over the other classes: skip class c's block in the grouped member list.
      auto r = static_cast<Index>(rng.below(n - size));
      if (r >= lo) r += static_cast<Index>(size);
      v = classes.members[static_cast<std::size_t>(r)];
    }
    src[static_cast<std::size_t>(e)] = u;
    dst[static_cast<std::size_t>(e)] = v;
  }, 4096);
  graph::BuildOptions build;
  build.num_nodes = o.num_nodes;
  build.duplicates = graph::Duplicates::KeepFirst;
  build.symmetric = true;
  build.self_loops = graph::SelfLoops::Remove;
  return graph::from_coo(std::span<const std::int32_t>(src), std::span<const std::int32_t>(dst),
                         {}, build);
}

// x_i = mu_{y_i} + N(0, I); each class mean is a random direction scaled to feature_signal.
Tensor draw_features(const CsbmOptions& o, const std::vector<std::int32_t>& labels, Rng& rng) {
  const Index f = o.num_features;
  Matrix means(o.num_classes, f);
  for (Index c = 0; c < o.num_classes; ++c) {
    for (Index j = 0; j < f; ++j) means(c, j) = rng.normal();
    const float norm = means.row(c).norm();
    if (norm > 0.0f) means.row(c) *= static_cast<float>(o.feature_signal) / norm;
  }
  Tensor x = Tensor::empty(o.num_nodes, f);
  float* data = x.data();
  const std::uint64_t key = rng.split();
  parallel_for(0, o.num_nodes, [&](Index i) {
    Rng row_rng(Rng::bits(key, static_cast<std::uint64_t>(i)));
    const Index c = labels[static_cast<std::size_t>(i)];
    for (Index j = 0; j < f; ++j) data[i * f + j] = means(c, j) + row_rng.normal();
  }, 256);
  return x;
}

}  // namespace

NodeDataset csbm(const CsbmOptions& options) {
  check_options(options);
  Rng rng(options.seed);
  const std::vector<std::int32_t> labels = draw_labels(options.num_nodes, options.num_classes, rng);
  NodeDataset dataset;
  dataset.graph = draw_graph(options, labels, rng.split());
  dataset.features = draw_features(options, labels, rng);
  NodeSplit split = random_split(options.num_nodes, options.train_fraction, options.val_fraction,
                             rng.next_u64());
  dataset.labels = IndexArray32(labels);
  dataset.train = std::move(split.train);
  dataset.val = std::move(split.val);
  dataset.test = std::move(split.test);
  dataset.num_classes = options.num_classes;
  std::ostringstream name;
  name << "csbm-n" << options.num_nodes << "-c" << options.num_classes << "-h"
       << options.homophily;
  dataset.name = name.str();
  return dataset;
}

}  // namespace moegnn::datasets
