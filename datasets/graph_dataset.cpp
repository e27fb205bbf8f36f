// SPDX-License-Identifier: Apache-2.0
// Stratified k-fold splits of a graph dataset, and the generator of labelled random graphs.
#include "datasets/graph_dataset.h"

#include <algorithm>
#include <set>
#include <utility>

#include "core/error.h"
#include "core/rng.h"

namespace moegnn::datasets {

std::vector<GraphFold> stratified_k_fold(const IndexArray32& labels, Index k, std::uint64_t seed) {
  const Index n = labels.size();
  MOEGNN_CHECK_AS(InvalidArgument, "stratified_k_fold", k >= 3 && k <= n, "k is ", k,
                  " vs 3 <= k <= ", n, " (graphs)");
  std::int32_t classes = 0;
  for (Index g = 0; g < n; ++g) {
    MOEGNN_CHECK_AS(InvalidArgument, "stratified_k_fold", labels[g] >= 0, "labels[", g,
                    "] = ", labels[g], " vs >= 0");
    classes = std::max(classes, labels[g] + 1);
  }
  // Deal each class's shuffled graphs round-robin, continuing where the previous class stopped so
  // that fold sizes differ by at most one.
  Rng rng(seed);
  std::vector<std::vector<graph::NodeId>> parts(static_cast<std::size_t>(k));
  std::size_t next = 0;
  for (std::int32_t c = 0; c < classes; ++c) {
    std::vector<graph::NodeId> members;
    for (Index g = 0; g < n; ++g)
      if (labels[g] == c) members.push_back(static_cast<graph::NodeId>(g));
    for (std::size_t i = members.size(); i > 1; --i)
      std::swap(members[i - 1], members[rng.below(i)]);
    for (const graph::NodeId g : members) parts[next++ % parts.size()].push_back(g);
  }
  std::vector<GraphFold> folds(static_cast<std::size_t>(k));
  for (std::size_t i = 0; i < folds.size(); ++i) {
    const std::size_t val = (i + 1) % folds.size();
    folds[i].test = parts[i];
    folds[i].val = parts[val];
    for (std::size_t j = 0; j < parts.size(); ++j)
      if (j != i && j != val)
        folds[i].train.insert(folds[i].train.end(), parts[j].begin(), parts[j].end());
    for (auto* set : {&folds[i].train, &folds[i].val, &folds[i].test})
      std::sort(set->begin(), set->end());
  }
  return folds;
}

GraphDataset random_graph_dataset(const RandomGraphOptions& o) {
  MOEGNN_CHECK_AS(InvalidArgument, "random_graph_dataset", o.num_classes >= 2 && o.num_graphs >= 2,
                  o.num_graphs, " graphs of ", o.num_classes, " classes vs >= 2 of each");
  MOEGNN_CHECK_AS(InvalidArgument, "random_graph_dataset",
                  o.min_nodes >= 3 && o.min_nodes <= o.max_nodes, "node counts [", o.min_nodes,
                  ", ", o.max_nodes, "] vs 3 <= min_nodes <= max_nodes");
  constexpr Index kDegreeColumns = 8;
  Rng rng(o.seed);
  std::vector<std::int32_t> classes(static_cast<std::size_t>(o.num_graphs));
  for (std::size_t g = 0; g < classes.size(); ++g)
    classes[g] = static_cast<std::int32_t>(static_cast<Index>(g) % o.num_classes);
  for (std::size_t i = classes.size(); i > 1; --i) std::swap(classes[i - 1], classes[rng.below(i)]);
  std::vector<graph::Csr> graphs;
  std::vector<Tensor> features;
  for (const std::int32_t c : classes) {
    const Index n =
        o.min_nodes +
        static_cast<Index>(rng.below(static_cast<std::uint64_t>(o.max_nodes - o.min_nodes + 1)));
    const double p = (1.5 + 1.25 * c) / static_cast<double>(n - 1);
    std::set<std::pair<graph::NodeId, graph::NodeId>> edges;
    const auto add = [&](Index u, Index v) {
      if (u == v) return;
      edges.emplace(static_cast<graph::NodeId>(u), static_cast<graph::NodeId>(v));
      edges.emplace(static_cast<graph::NodeId>(v), static_cast<graph::NodeId>(u));
    };
    for (Index u = 0; u < n; ++u)
      for (Index v = u + 1; v < n; ++v)
        if (rng.uniform() < p) add(u, v);
    for (std::int32_t t = 0; t <= c; ++t) {
      const auto a = static_cast<Index>(rng.below(static_cast<std::uint64_t>(n)));
      const auto b = static_cast<Index>(rng.below(static_cast<std::uint64_t>(n)));
      const auto e = static_cast<Index>(rng.below(static_cast<std::uint64_t>(n)));
      add(a, b), add(b, e), add(e, a);
    }
    std::vector<graph::EdgeId> row_ptr(static_cast<std::size_t>(n) + 1, 0);
    std::vector<graph::NodeId> col;
    for (const auto& [u, v] : edges) ++row_ptr[static_cast<std::size_t>(u) + 1], col.push_back(v);
    for (std::size_t v = 0; v < static_cast<std::size_t>(n); ++v) row_ptr[v + 1] += row_ptr[v];
    Matrix x = Matrix::Zero(n, kDegreeColumns + 1);
    for (Index v = 0; v < n; ++v) {
      const graph::EdgeId degree =
          row_ptr[static_cast<std::size_t>(v) + 1] - row_ptr[static_cast<std::size_t>(v)];
      x(v, 0) = 1.0f;
      x(v, 1 + std::min<Index>(degree, kDegreeColumns - 1)) = 1.0f;
    }
    graphs.emplace_back(n, n, graph::EdgeIds(row_ptr), graph::NodeIds(col));
    features.push_back(Tensor::from(x));
  }
  GraphDataset d;
  d.name = "random-graphs";
  d.graphs = graph::batch_graphs(graphs, features);
  d.labels = IndexArray32(classes);
  d.num_classes = o.num_classes;
  return d;
}

}  // namespace moegnn::datasets
