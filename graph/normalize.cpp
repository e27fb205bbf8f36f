// SPDX-License-Identifier: Apache-2.0
// Degrees, GCN and row normalisation. Row sums run in parallel over rows (each row summed serially
// in storage order); column sums walk the edges once in storage order. Both are therefore
// independent of the thread count.
#include "graph/normalize.h"

#include <cmath>
#include <vector>

#include "core/parallel.h"
#include "graph/detail/checks.h"
#include "graph/transform.h"

namespace moegnn::graph {
namespace {

constexpr Index kRowGrain = 2048;

// Weighted in-degree per row in double (1 per edge when g has no values).
std::vector<double> row_sums(const Csr& g) {
  const EdgeId* ptr = g.row_ptr().host().data();
  const float* val = g.has_values() ? g.values().data() : nullptr;
  std::vector<double> sums(static_cast<std::size_t>(g.num_rows()));
  parallel_for(0, g.num_rows(), [&](Index r) {
    if (val == nullptr) {
      sums[r] = static_cast<double>(ptr[r + 1] - ptr[r]);
      return;
    }
    double s = 0;
    for (EdgeId k = ptr[r]; k < ptr[r + 1]; ++k) s += val[k];
    sums[r] = s;
  }, kRowGrain);
  return sums;
}

Tensor to_column(const std::vector<double>& v) {
  Tensor t = Tensor::empty(static_cast<Index>(v.size()), 1);
  float* out = t.data();
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = static_cast<float>(v[i]);
  return t;
}

}  // namespace

EdgeIds in_degrees(const Csr& g) {
  detail::require_cpu(g, "in_degrees");
  EdgeIds deg(g.num_rows());
  const EdgeId* ptr = g.row_ptr().host().data();
  EdgeId* out = deg.host().data();
  parallel_for(0, g.num_rows(), [&](Index r) { out[r] = ptr[r + 1] - ptr[r]; }, 1 << 14);
  return deg;
}

EdgeIds out_degrees(const Csr& g) {
  detail::require_cpu(g, "out_degrees");
  EdgeIds deg(g.num_cols());
  auto out = deg.host();
  std::fill(out.begin(), out.end(), 0);
  for (const NodeId c : g.col_idx().host()) ++out[static_cast<std::size_t>(c)];
  return deg;
}

Tensor weighted_in_degrees(const Csr& g) {
  detail::require_cpu(g, "weighted_in_degrees");
  return to_column(row_sums(g));
}

Tensor weighted_out_degrees(const Csr& g) {
  detail::require_cpu(g, "weighted_out_degrees");
  std::vector<double> sums(static_cast<std::size_t>(g.num_cols()), 0.0);
  const auto col = g.col_idx().host();
  const float* val = g.has_values() ? g.values().data() : nullptr;
  for (std::size_t k = 0; k < col.size(); ++k) sums[col[k]] += val != nullptr ? val[k] : 1.0;
  return to_column(sums);
}

Csr gcn_norm(const Csr& g, const GcnNormOptions& options) {
  detail::require_cpu(g, "gcn_norm");
  detail::require_square(g, "gcn_norm");
  // Unit weights are made explicit first so that added loops carry fill_value (as in PyG, where
  // edge_weight = None becomes ones before add_remaining_self_loops).
  const Csr weighted = g.has_values() ? g : g.with_values(Tensor::ones(g.num_edges(), 1));
  const Csr a = options.add_self_loops ? add_remaining_self_loops(weighted, options.fill_value)
                                       : weighted;
  // d^-1/2, with 0 for isolated nodes (PyG masks the inf the same way).
  std::vector<double> dis = row_sums(a);
  for (double& d : dis) d = d == 0 ? 0.0 : 1.0 / std::sqrt(d);
  const EdgeId* ptr = a.row_ptr().host().data();
  const NodeId* col = a.col_idx().host().data();
  const float* val = a.has_values() ? a.values().data() : nullptr;
  Tensor out = Tensor::empty(a.num_edges(), 1);
  float* w = out.data();
  parallel_for(0, a.num_rows(), [&](Index r) {
    for (EdgeId k = ptr[r]; k < ptr[r + 1]; ++k) {
      const double v = val != nullptr ? val[k] : 1.0;
      w[k] = static_cast<float>(dis[static_cast<std::size_t>(col[k])] * v * dis[r]);
    }
  }, kRowGrain);
  return a.with_values(std::move(out));
}

Csr row_norm(const Csr& g) {
  detail::require_cpu(g, "row_norm");
  const std::vector<double> deg = row_sums(g);
  const EdgeId* ptr = g.row_ptr().host().data();
  const float* val = g.has_values() ? g.values().data() : nullptr;
  Tensor out = Tensor::empty(g.num_edges(), 1);
  float* w = out.data();
  parallel_for(0, g.num_rows(), [&](Index r) {
    const double inv = deg[r] == 0 ? 0.0 : 1.0 / deg[r];
    for (EdgeId k = ptr[r]; k < ptr[r + 1]; ++k)
      w[k] = static_cast<float>((val != nullptr ? val[k] : 1.0) * inv);
  }, kRowGrain);
  return g.with_values(std::move(out));
}

}  // namespace moegnn::graph
