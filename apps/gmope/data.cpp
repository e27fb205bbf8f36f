// SPDX-License-Identifier: Apache-2.0
// Loading, alignment and splits for moegnn-gmope.
#include "apps/gmope/data.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <vector>

#include "core/error.h"
#include "core/rng.h"
#include "graph/transform.h"
#include "datasets/csbm.h"
#include "datasets/data_dir.h"
#include "datasets/registry.h"
#include "datasets/tu.h"
#include "models/gmope/gmope_io.h"
#include "models/link/link_split.h"

namespace moegnn::apps {
namespace {

namespace fs = std::filesystem;

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool is_tu(const std::string& name) {
  return name == "mutag" || name == "proteins" || name == "enzymes";
}

graph::Csr clean(const graph::Csr& g) {
  return graph::remove_self_loops(graph::to_undirected(g, graph::Duplicates::KeepFirst));
}

models::AlignOptions align(const models::GmopeOptions& m, bool standardize) {
  return {.d0 = m.in_channels, .standardize = standardize, .seed = 1};
}

// k per class from `pool` (shuffled per class by `seed`) for training, the next k validate, the
// rest of the pool tests.
graph::NodeSplit k_shot(const IndexArray32& labels, Index classes, const IndexArray32& pool,
                        Index k, std::uint64_t seed) {
  std::vector<std::vector<std::int32_t>> by_class(static_cast<std::size_t>(classes));
  for (Index i = 0; i < pool.size(); ++i)
    by_class[static_cast<std::size_t>(labels[pool[i]])].push_back(pool[i]);
  Rng rng(seed);
  std::vector<std::int32_t> train, val, test;
  for (auto& ids : by_class) {
    std::sort(ids.begin(), ids.end());
    for (std::size_t i = ids.size(); i > 1; --i)
      std::swap(ids[i - 1], ids[static_cast<std::size_t>(rng.below(i))]);
    for (std::size_t i = 0; i < ids.size(); ++i)
      (i < static_cast<std::size_t>(k)       ? train
       : i < static_cast<std::size_t>(2 * k) ? val
                                             : test)
          .push_back(ids[i]);
  }
  for (auto* v : {&train, &val, &test}) std::sort(v->begin(), v->end());
  return {IndexArray32(train), IndexArray32(val), IndexArray32(test)};
}

IndexArray32 joined(const graph::NodeSplit& s) {
  std::vector<std::int32_t> all;
  for (const IndexArray32* part : {&s.train, &s.val, &s.test})
    for (Index i = 0; i < part->size(); ++i) all.push_back((*part)[i]);
  std::sort(all.begin(), all.end());
  return IndexArray32(all);
}

}  // namespace

LoadedGraph load_gmope_graph(const std::string& name, const fs::path& data_dir) {
  LoadedGraph out;
  out.name = name;
  const fs::path root = data_dir.empty() ? datasets::default_data_dir() : data_dir;
  if (name.rfind("generated", 0) == 0) {
    // The width and seed follow the name, so generated-a and generated-b differ in both.
    const std::size_t h = std::hash<std::string>{}(name);
    out.node = datasets::csbm({.num_nodes = 400,
                               .num_classes = 3,
                               .num_features = 8 + static_cast<Index>(h % 17),
                               .avg_degree = 6,
                               .homophily = 0.7,
                               .seed = 1 + h % 1000});
    out.node.name = name;
  } else if (is_tu(name) || (fs::is_directory(name) && !fs::exists(fs::path(name) / "raw"))) {
    out.graph_level = true;
    out.graphs =
        datasets::load_tu_dataset(is_tu(name) ? root / "tu" / upper(name) : fs::path(name));
    out.raw = out.graphs.graphs.graph;
    out.features = out.graphs.graphs.x;
    return out;
  } else if (fs::exists(name)) {
    out.node = datasets::load_node_dataset_file(name);
  } else {
    out.node = datasets::load_node_dataset(name, root);
  }
  out.raw = clean(out.node.graph);
  out.features = out.node.features;
  return out;
}

models::PretrainSource pretrain_source(const LoadedGraph& g, const models::GmopeOptions& m,
                                       bool standardize) {
  Tensor x = models::align_features(g.features, align(m, standardize));
  if (g.graph_level)
    return {g.name, g.raw,
            models::make_gmope_graph(g.raw, std::move(x), m.router_input, g.graphs.graphs.ptr,
                                     g.graphs.graphs.batch)};
  return {g.name, g.raw, models::make_gmope_graph(g.raw, std::move(x), m.router_input)};
}

models::NodeTarget node_target(const LoadedGraph& g, const models::GmopeOptions& m,
                               const GmopeAppOptions& o, Index run) {
  MOEGNN_CHECK_AS(InvalidArgument, "--task node", !g.graph_level, "'", g.name,
                  "' is a set of graphs vs a node dataset; use --task graph");
  const datasets::NodeDataset& d = g.node;
  graph::NodeSplit split{d.train, d.val, d.test};
  if (!d.splits.empty()) split = d.splits[static_cast<std::size_t>(run) % d.splits.size()];
  if (o.shots > 0)
    split = k_shot(d.labels, d.num_classes, joined(split), o.shots,
                   static_cast<std::uint64_t>(o.seed + run));
  return {models::make_gmope_graph(
              g.raw, models::align_features(g.features, align(m, o.standardize)), m.router_input),
          d.labels,
          d.num_classes,
          split.train,
          split.val,
          split.test};
}

models::LinkTarget link_target(const LoadedGraph& g, const models::GmopeOptions& m,
                               const GmopeAppOptions& o, Index run) {
  MOEGNN_CHECK_AS(InvalidArgument, "--task link", o.shots == 0, "--shots ", o.shots,
                  " vs 0 (k-shot is per class; link prediction uses a 85/5/10 edge split)");
  const models::LinkSets s =
      models::random_link_split(g.raw, 0.05, 0.1, static_cast<std::uint64_t>(o.seed + run));
  Tensor x = models::align_features(g.features, align(m, o.standardize));
  models::GmopeGraph graph =
      g.graph_level ? models::make_gmope_graph(s.train_graph, std::move(x), m.router_input,
                                               g.graphs.graphs.ptr, g.graphs.graphs.batch)
                    : models::make_gmope_graph(s.train_graph, std::move(x), m.router_input);
  return {std::move(graph), s.train_graph, s.train_pos, s.val_pos,
          s.val_neg,        s.test_pos,    s.test_neg};
}

models::GraphTarget graph_target(const LoadedGraph& g, const models::GmopeOptions& m,
                                 const GmopeAppOptions& o, Index run) {
  MOEGNN_CHECK_AS(InvalidArgument, "--task graph", g.graph_level, "'", g.name,
                  "' is one graph vs a set of graphs (mutag, proteins, enzymes or a TU folder)");
  const datasets::GraphDataset& d = g.graphs;
  graph::NodeSplit split;
  if (o.shots > 0) {
    std::vector<std::int32_t> all(static_cast<std::size_t>(d.num_graphs()));
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::int32_t>(i);
    split = k_shot(d.labels, d.num_classes, IndexArray32(all), o.shots,
                   static_cast<std::uint64_t>(o.seed + run));
  } else {
    // The usual 10 stratified folds; run r takes fold r mod 10, validation the next fold.
    const auto folds =
        datasets::stratified_k_fold(d.labels, 10, static_cast<std::uint64_t>(o.seed));
    const datasets::GraphFold& f = folds[static_cast<std::size_t>(run) % folds.size()];
    split = {IndexArray32(f.train), IndexArray32(f.val), IndexArray32(f.test)};
  }
  Tensor x = models::align_features(g.features, align(m, o.standardize));
  return {
      models::make_gmope_graph(g.raw, std::move(x), m.router_input, d.graphs.ptr, d.graphs.batch),
      d.labels,
      d.num_classes,
      split.train,
      split.val,
      split.test};
}

}  // namespace moegnn::apps
