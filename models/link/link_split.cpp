// SPDX-License-Identifier: Apache-2.0
// The reference's Planetoid link split (train_test_split_edges + half of validation to training).
#include "models/link/link_split.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/rng.h"
#include "graph/builder.h"

namespace moegnn::models {
namespace {

using Pair = std::pair<graph::NodeId, graph::NodeId>;

template <typename T>
void shuffle(std::vector<T>& v, Rng& rng) {  // Fisher–Yates
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(i)]);
}

graph::EdgeList to_list(const std::vector<Pair>& pairs, std::size_t begin, std::size_t end) {
  std::vector<graph::NodeId> s, d;
  for (std::size_t k = begin; k < end; ++k) {
    s.push_back(pairs[k].first);
    d.push_back(pairs[k].second);
  }
  return {graph::NodeIds(s), graph::NodeIds(d)};
}

void check_ids(const graph::EdgeList& e, Index n, const char* name) {
  MOEGNN_CHECK_AS(InvalidArgument, "check(LinkSets)", e.src.size() == e.dst.size(), name,
                  ".src has ", e.src.size(), " entries vs ", e.dst.size(), " in ", name, ".dst");
  for (Index k = 0; k < e.size(); ++k)
    MOEGNN_CHECK_AS(InvalidArgument, "check(LinkSets)",
                    e.src[k] >= 0 && e.src[k] < n && e.dst[k] >= 0 && e.dst[k] < n, name,
                    " edge ", k, " = (", e.src[k], ", ", e.dst[k], ") vs node ids in [0, ", n,
                    "); the split does not belong to this graph");
}

struct Undirected {
  std::vector<Pair> edges;  // (i < j), each once
  std::unordered_set<std::uint64_t> present;
};

std::uint64_t key(graph::NodeId a, graph::NodeId b) {
  return (static_cast<std::uint64_t>(a) << 32) | static_cast<std::uint32_t>(b);
}

Undirected undirected_edges(const graph::Csr& g, const char* function) {
  MOEGNN_CHECK_AS(InvalidArgument, function, g.is_square(), "graph is ", g.num_rows(), " × ",
                  g.num_cols(), " vs square");
  Undirected u;
  const Index n = g.num_nodes();
  for (Index r = 0; r < n; ++r)
    for (const graph::NodeId c : g.neighbors(r))
      if (c < r && u.present.insert(key(c, static_cast<graph::NodeId>(r))).second)
        u.edges.emplace_back(c, static_cast<graph::NodeId>(r));
  for (Index r = 0; r < n; ++r)
    for (const graph::NodeId c : g.neighbors(r)) {
      const auto lo = std::min<graph::NodeId>(c, static_cast<graph::NodeId>(r));
      const auto hi = std::max<graph::NodeId>(c, static_cast<graph::NodeId>(r));
      MOEGNN_CHECK_AS(InvalidArgument, function, c == r || u.present.count(key(lo, hi)) == 1,
                      "edge (", c, ", ", r, ") has no reverse vs a symmetric graph");
    }
  MOEGNN_CHECK_AS(InvalidArgument, function, u.edges.size() >= 5, "graph has ", u.edges.size(),
                  " undirected edges vs >= 5");
  return u;
}

// `count` distinct uniform non-edges (i < j) of the graph behind `u`.
std::vector<Pair> non_edges(const Undirected& u, Index n, std::size_t count, Rng& rng,
                            const char* function) {
  const double available = 0.5 * static_cast<double>(n) * static_cast<double>(n - 1) -
                           static_cast<double>(u.edges.size());
  MOEGNN_CHECK_AS(InvalidArgument, function, available >= static_cast<double>(count), "graph has ",
                  available, " non-edges vs ", count, " negatives wanted");
  std::vector<Pair> out;
  std::unordered_set<std::uint64_t> taken;
  while (out.size() < count) {
    auto a = static_cast<graph::NodeId>(rng.below(static_cast<std::uint64_t>(n)));
    auto b = static_cast<graph::NodeId>(rng.below(static_cast<std::uint64_t>(n)));
    if (a == b) continue;
    if (a > b) std::swap(a, b);
    if (u.present.count(key(a, b)) != 0 || !taken.insert(key(a, b)).second) continue;
    out.emplace_back(a, b);
  }
  return out;
}

graph::Csr symmetric_graph(const graph::EdgeList& e, Index n) {
  graph::BuildOptions build;
  build.num_nodes = n;
  build.symmetric = true;
  build.duplicates = graph::Duplicates::KeepFirst;
  return graph::from_coo(e.src, e.dst, Tensor(), build);
}

}  // namespace

LinkSets planetoid_link_split(const graph::Csr& g, std::uint64_t seed) {
  constexpr const char* kFn = "planetoid_link_split";
  Undirected u = undirected_edges(g, kFn);
  std::vector<Pair>& edges = u.edges;
  const auto m = edges.size();
  Rng rng(seed);
  shuffle(edges, rng);
  const auto n_v = static_cast<std::size_t>(std::floor(0.2 * static_cast<double>(m)));
  const std::size_t n_t = n_v;
  // PyG permutes every non-edge and takes the first n_v + n_t: distinct uniform non-edges.
  const std::vector<Pair> negatives = non_edges(u, g.num_nodes(), n_v + n_t, rng, kFn);
  // Validation positives [0, n_v), test [n_v, n_v + n_t), training the rest; then the validation
  // positives are shuffled again and all but the last int(0.5 n_v) go to training.
  std::vector<Pair> val(edges.begin(), edges.begin() + static_cast<std::ptrdiff_t>(n_v));
  shuffle(val, rng);
  const auto num_val = static_cast<std::size_t>(static_cast<double>(n_v) * 0.5);
  std::vector<Pair> train(edges.begin() + static_cast<std::ptrdiff_t>(n_v + n_t), edges.end());
  train.insert(train.end(), val.begin(), val.end() - static_cast<std::ptrdiff_t>(num_val));
  LinkSets out;
  out.train_pos = to_list(train, 0, train.size());
  out.val_pos = to_list(val, val.size() - num_val, val.size());
  out.val_neg = to_list(negatives, 0, n_v);
  out.test_pos = to_list(edges, n_v, n_v + n_t);
  out.test_neg = to_list(negatives, n_v, n_v + n_t);
  out.train_graph = symmetric_graph(out.train_pos, g.num_nodes());
  return out;
}

LinkSets random_link_split(const graph::Csr& g, double val_fraction, double test_fraction,
                           std::uint64_t seed) {
  constexpr const char* kFn = "random_link_split";
  MOEGNN_CHECK_AS(InvalidArgument, kFn, val_fraction >= 0.0 && test_fraction >= 0.0 &&
                  val_fraction + test_fraction < 1.0, "fractions ", val_fraction, " + ",
                  test_fraction, " vs non-negative and summing to < 1");
  Undirected u = undirected_edges(g, kFn);
  const auto m = u.edges.size();
  Rng rng(seed);
  shuffle(u.edges, rng);
  const auto n_v = static_cast<std::size_t>(val_fraction * static_cast<double>(m));
  const auto n_t = static_cast<std::size_t>(test_fraction * static_cast<double>(m));
  const std::size_t n_train = m - n_v - n_t;
  const std::vector<Pair> negatives = non_edges(u, g.num_nodes(), n_v + n_t, rng, kFn);
  LinkSets out;
  out.train_pos = to_list(u.edges, 0, n_train);
  out.val_pos = to_list(u.edges, n_train, n_train + n_v);
  out.test_pos = to_list(u.edges, n_train + n_v, m);
  out.val_neg = to_list(negatives, 0, n_v);
  out.test_neg = to_list(negatives, n_v, n_v + n_t);
  out.train_graph = symmetric_graph(out.train_pos, g.num_nodes());
  return out;
}

void check(const LinkSets& sets, Index num_nodes) {
  MOEGNN_CHECK_AS(InvalidArgument, "check(LinkSets)", sets.train_graph.num_nodes() == num_nodes,
                  "training graph has ", sets.train_graph.num_nodes(), " nodes vs ", num_nodes);
  MOEGNN_CHECK_AS(InvalidArgument, "check(LinkSets)", sets.train_pos.size() > 0,
                  "no training positives vs at least one");
  check_ids(sets.train_pos, num_nodes, "train_pos");
  check_ids(sets.val_pos, num_nodes, "val_pos");
  check_ids(sets.val_neg, num_nodes, "val_neg");
  check_ids(sets.test_pos, num_nodes, "test_pos");
  check_ids(sets.test_neg, num_nodes, "test_neg");
}

}  // namespace moegnn::models
