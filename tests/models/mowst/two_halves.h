// SPDX-License-Identifier: Apache-2.0
// A generated graph where the MLP alone is good on one half of the nodes and the GNN on the other:
//
//   half A (nodes 0 .. n/2-1): strong features (class mean ± 3/√F per feature), edges to random A
//       nodes of either class (homophily ≈ 0.5), so aggregation washes the signal out;
//   half B (nodes n/2 .. n-1): weak features (± 0.1/√F), three times as many edges, to random B
//       nodes of the same class (homophily 1), so averaging over neighbours recovers the class.
//
// Two classes, seeded, split 50 / 25 / 25 at random.
#pragma once

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "core/rng.h"
#include "graph/builder.h"
#include "models/training/options.h"

namespace moegnn::mowst::testing {

struct TwoHalves {
  graph::Csr graph;
  Tensor x;
  training::LabeledSplit split;
  Index num_classes = 2;
  Index half = 0;  // nodes [0, half) are A, [half, n) are B
};

inline TwoHalves two_halves(Index num_nodes = 400, Index num_features = 8, Index degree = 6,
                            std::uint64_t seed = 1) {
  Rng rng(seed);
  TwoHalves out;
  out.half = num_nodes / 2;
  std::vector<std::int32_t> labels(static_cast<std::size_t>(num_nodes));
  for (auto& y : labels) y = static_cast<std::int32_t>(rng.below(2));
  out.x = Tensor::empty(num_nodes, num_features);
  auto x = out.x.host();
  const float scale = 1.0f / std::sqrt(static_cast<float>(num_features));
  for (Index v = 0; v < num_nodes; ++v) {
    const float signal = (v < out.half ? 3.0f : 0.1f) * scale;
    const float sign = labels[static_cast<std::size_t>(v)] == 0 ? 1.0f : -1.0f;
    for (Index f = 0; f < num_features; ++f) x(v, f) = sign * signal + rng.normal() * scale;
  }
  std::vector<std::int32_t> src, dst;
  for (Index v = 0; v < num_nodes; ++v) {
    const bool in_a = v < out.half;
    const Index lo = in_a ? 0 : out.half, size = in_a ? out.half : num_nodes - out.half;
    const Index draws = in_a ? degree : 3 * degree;  // B: many same-class neighbours to average
    for (Index e = 0; e < draws;) {
      const auto u = static_cast<std::int32_t>(
          lo + static_cast<Index>(rng.below(static_cast<std::uint64_t>(size))));
      if (u == v) continue;
      if (!in_a && labels[static_cast<std::size_t>(u)] != labels[static_cast<std::size_t>(v)])
        continue;
      src.push_back(static_cast<std::int32_t>(v));
      dst.push_back(u);
      ++e;
    }
  }
  out.graph = graph::from_coo(
      src, dst, {},
      {.num_nodes = num_nodes, .duplicates = graph::Duplicates::KeepFirst, .symmetric = true});
  std::vector<std::int32_t> order(static_cast<std::size_t>(num_nodes));
  std::iota(order.begin(), order.end(), 0);
  for (Index i = num_nodes - 1; i > 0; --i)
    std::swap(order[static_cast<std::size_t>(i)],
              order[rng.below(static_cast<std::uint64_t>(i + 1))]);
  const auto n_train = static_cast<std::ptrdiff_t>(num_nodes / 2);
  const auto n_val = static_cast<std::ptrdiff_t>(num_nodes / 4);
  auto sorted = [](std::vector<std::int32_t> v) {
    std::sort(v.begin(), v.end());
    return IndexArray32(v);
  };
  out.split.labels = IndexArray32(labels);
  out.split.train = sorted({order.begin(), order.begin() + n_train});
  out.split.val = sorted({order.begin() + n_train, order.begin() + n_train + n_val});
  out.split.test = sorted({order.begin() + n_train + n_val, order.end()});
  return out;
}

}  // namespace moegnn::mowst::testing
