// SPDX-License-Identifier: Apache-2.0
// Induced subgraphs (count, scan, gather, per-row sort only when local ids reorder columns) and
// level-synchronous k-hop expansion (parallel read-only gather of unvisited neighbours, then a serial
// merge in frontier order, so no two threads ever write the visited array).
#include "graph/subgraph.h"

#include <algorithm>
#include <vector>

#include "core/parallel.h"
#include "graph/detail/checks.h"
#include "graph/detail/rows.h"
#include "graph/detail/scan.h"

namespace moegnn::graph {
namespace {

constexpr NodeId kAbsent = -1;

// global -> local map; throws on repeated ids.
std::vector<NodeId> local_ids(const Csr& g, const NodeIds& nodes) {
  std::vector<NodeId> map(static_cast<std::size_t>(g.num_rows()), kAbsent);
  const auto ids = nodes.host();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    NodeId& slot = map[static_cast<std::size_t>(ids[i])];
    MOEGNN_CHECK_AS(InvalidArgument, "induced_subgraph", slot == kAbsent, "nodes[", i, "] = ",
                    ids[i], " repeats nodes[", slot, "] vs distinct ids");
    slot = static_cast<NodeId>(i);
  }
  return map;
}


}  // namespace

Subgraph induced_subgraph(const Csr& g, const NodeIds& nodes) {
  // 1. Validate and map ids.
  detail::require_cpu(g, "induced_subgraph");
  detail::require_square(g, "induced_subgraph");
  detail::check_node_ids(nodes, g.num_rows(), "induced_subgraph", "nodes");
  const std::vector<NodeId> map = local_ids(g, nodes);
  const NodeId* ids = nodes.host().data();
  const Index k = nodes.size();
  const bool ordered = std::is_sorted(ids, ids + k);
  const EdgeId* ptr = g.row_ptr().host().data();
  const NodeId* col = g.col_idx().host().data();
  // 2. Count kept edges per local row, then offsets.
  EdgeIds row_ptr(k + 1);
  EdgeId* out_ptr = row_ptr.host().data();
  parallel_for(0, k, [&](Index i) {
    EdgeId n = 0;
    for (EdgeId e = ptr[ids[i]]; e < ptr[ids[i] + 1]; ++e) n += map[col[e]] != kAbsent ? 1 : 0;
    out_ptr[i + 1] = n;
  }, 512);
  detail::counts_to_offsets(out_ptr, k);
  // 3. Gather, re-sorting rows when the local order differs from the global one.
  EdgeIds edge_ids(out_ptr[k]);
  NodeIds col_idx(out_ptr[k]);
  EdgeId* out_edge = edge_ids.host().data();
  NodeId* out_col = col_idx.host().data();
  parallel_for_range(0, k, [&](Index lo, Index hi) {
    std::vector<std::pair<NodeId, EdgeId>> tmp;
    for (Index i = lo; i < hi; ++i) {
      EdgeId w = out_ptr[i];
      for (EdgeId e = ptr[ids[i]]; e < ptr[ids[i] + 1]; ++e) {
        if (map[col[e]] == kAbsent) continue;
        out_col[w] = map[col[e]];
        out_edge[w++] = e;
      }
      if (!ordered)
        detail::sort_row_pairs(out_col + out_ptr[i], out_edge + out_ptr[i], w - out_ptr[i], tmp);
    }
  }, 512);
  // 4. Values follow their edges.
  Tensor values;
  if (g.has_values()) {
    values = Tensor::empty(edge_ids.size(), 1);
    const float* src = g.values().data();
    float* dst = values.data();
    parallel_for(0, edge_ids.size(), [&](Index e) { dst[e] = src[out_edge[e]]; }, 1 << 14);
  }
  return {Csr(k, k, std::move(row_ptr), std::move(col_idx), std::move(values), Validate::Trusted),
          nodes, std::move(edge_ids)};
}

NodeIds k_hop_nodes(const Csr& g, const NodeIds& seeds, int num_hops) {
  detail::require_cpu(g, "k_hop_nodes");
  detail::require_square(g, "k_hop_nodes");
  MOEGNN_CHECK(num_hops >= 0, "num_hops ", num_hops, " vs >= 0");
  detail::check_node_ids(seeds, g.num_rows(), "k_hop_nodes", "seeds");
  const EdgeId* ptr = g.row_ptr().host().data();
  const NodeId* col = g.col_idx().host().data();
  std::vector<std::uint8_t> visited(static_cast<std::size_t>(g.num_rows()), 0);
  std::vector<NodeId> reached;
  for (const NodeId s : seeds.host()) {
    if (visited[s] == 0) reached.push_back(s);
    visited[s] = 1;
  }
  constexpr Index kGrain = 256;
  std::size_t level_begin = 0;
  for (int hop = 0; hop < num_hops && level_begin < reached.size(); ++hop) {
    // Frontier = reached[level_begin, level_end). Chunks are fixed, so candidate order is too.
    const std::size_t level_end = reached.size();
    const auto frontier = static_cast<Index>(level_end - level_begin);
    const Index chunks = (frontier + kGrain - 1) / kGrain;
    std::vector<std::vector<NodeId>> found(static_cast<std::size_t>(chunks));
    parallel_for(0, chunks, [&](Index c) {
      const Index hi = std::min(frontier, (c + 1) * kGrain);
      for (Index f = c * kGrain; f < hi; ++f) {
        const NodeId v = reached[level_begin + static_cast<std::size_t>(f)];
        for (EdgeId e = ptr[v]; e < ptr[v + 1]; ++e)
          if (visited[col[e]] == 0) found[c].push_back(col[e]);
      }
    }, 1);
    for (const auto& chunk : found)
      for (const NodeId u : chunk)
        if (visited[u] == 0) {
          visited[u] = 1;
          reached.push_back(u);
        }
    level_begin = level_end;
  }
  std::sort(reached.begin(), reached.end());
  return NodeIds(reached);
}

Subgraph k_hop_subgraph(const Csr& g, const NodeIds& seeds, int num_hops) {
  return induced_subgraph(g, k_hop_nodes(g, seeds, num_hops));
}

ColumnSubset compact_columns(const Csr& a) {
  detail::require_cpu(a, "compact_columns");
  const auto col = a.col_idx().host();
  std::vector<NodeId> local(static_cast<std::size_t>(a.num_cols()), -1);
  for (const NodeId c : col) local[static_cast<std::size_t>(c)] = 0;
  std::vector<NodeId> columns;
  for (Index c = 0; c < a.num_cols(); ++c) {
    if (local[static_cast<std::size_t>(c)] < 0) continue;
    local[static_cast<std::size_t>(c)] = static_cast<NodeId>(columns.size());
    columns.push_back(static_cast<NodeId>(c));
  }
  std::vector<NodeId> renumbered(col.size());
  for (std::size_t k = 0; k < col.size(); ++k)
    renumbered[k] = local[static_cast<std::size_t>(col[k])];
  const auto width = static_cast<Index>(columns.size());
  Csr csr(a.num_rows(), width, a.row_ptr(), NodeIds(renumbered),
          a.has_values() ? a.values() : Tensor{}, Validate::Trusted);
  return {NodeIds(columns), std::move(csr)};
}

}  // namespace moegnn::graph
