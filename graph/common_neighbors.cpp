// SPDX-License-Identifier: Apache-2.0
// Common neighbours by sorted-row intersection: validation, then a counting pass and a filling
// pass over the pairs in parallel; the per-pair kernel picks merge or galloping by degree ratio.
#include "graph/common_neighbors.h"

#include <algorithm>
#include <cmath>
#include <span>

#include "core/error.h"
#include "core/parallel.h"
#include "graph/detail/checks.h"

namespace moegnn::graph {
namespace {

std::span<const NodeId> row_of(const EdgeId* ptr, const NodeId* col, NodeId r, Index cap) {
  EdgeId len = ptr[r + 1] - ptr[r];
  if (cap > 0 && len > cap) len = cap;
  return {col + ptr[r], static_cast<std::size_t>(len)};
}

// Calls emit(u) once for every distinct u in a ∩ b (both sorted, repeats allowed), ascending.
template <typename Emit>
void intersect(std::span<const NodeId> a, std::span<const NodeId> b, Emit&& emit) {
  if (a.size() > b.size()) std::swap(a, b);
  if (a.empty()) return;
  NodeId last = -1;  // ids are >= 0, so -1 never equals a real id
  if (static_cast<Index>(b.size()) > kGallopRatio * static_cast<Index>(a.size())) {
    auto lo = b.begin();
    for (const NodeId u : a) {
      if (u == last) continue;
      // Gallop: double the step from the current position, then binary-search the bracket.
      std::size_t step = 1;
      auto hi = lo;
      while (hi != b.end() && *hi < u) {
        lo = hi;
        hi = static_cast<std::size_t>(b.end() - hi) > step ? hi + static_cast<std::ptrdiff_t>(step)
                                                            : b.end();
        step *= 2;
      }
      lo = std::lower_bound(lo, hi, u);
      if (lo == b.end()) return;
      if (*lo == u) {
        emit(u);
        last = u;
      }
    }
    return;
  }
  std::size_t x = 0;
  std::size_t y = 0;
  while (x < a.size() && y < b.size()) {
    if (a[x] < b[y]) {
      ++x;
    } else if (b[y] < a[x]) {
      ++y;
    } else {
      if (a[x] != last) {
        emit(a[x]);
        last = a[x];
      }
      ++x;
      ++y;
    }
  }
}

void check_inputs(const Csr& g, const EdgeList& pairs, const CommonNeighborOptions& options) {
  constexpr const char* kFn = "common_neighbors";
  detail::require_square(g, kFn);
  detail::require_cpu(g, kFn);
  MOEGNN_CHECK_AS(InvalidArgument, kFn, pairs.src.size() == pairs.dst.size(), "pairs.src has ",
                  pairs.src.size(), " entries vs ", pairs.dst.size(), " in pairs.dst");
  detail::check_node_ids(pairs.src, g.num_nodes(), kFn, "pairs.src");
  detail::check_node_ids(pairs.dst, g.num_nodes(), kFn, "pairs.dst");
  if (options.validate == Validate::Full)
    MOEGNN_CHECK_AS(InvalidArgument, kFn, detail::rows_sorted(g),
                    "graph rows are not sorted vs sorted columns per row; call coalesce() first");
}

// f(b, emit-visitor) over every pair: runs intersect() for pair b with `emit`.
template <typename PerPair>
void for_each_pair(const Csr& g, const EdgeList& pairs, Index cap, PerPair&& per_pair) {
  const EdgeId* ptr = g.row_ptr().host().data();
  const NodeId* col = g.col_idx().host().data();
  const NodeId* src = pairs.src.host().data();
  const NodeId* dst = pairs.dst.host().data();
  parallel_for(Index{0}, pairs.size(), [&](Index b) {
    per_pair(b, row_of(ptr, col, src[b], cap), row_of(ptr, col, dst[b], cap));
  }, 256);
}

}  // namespace

Csr PairNeighbors::to_csr(Index num_nodes) const {
  return Csr(num_pairs(), num_nodes, EdgeIds(offsets), NodeIds(nodes), {}, Validate::Trusted);
}

PairNeighbors common_neighbors(const Csr& g, const EdgeList& pairs,
                               const CommonNeighborOptions& options) {
  check_inputs(g, pairs, options);
  const Index n = pairs.size();
  PairNeighbors out;
  out.offsets.assign(static_cast<std::size_t>(n + 1), 0);
  for_each_pair(g, pairs, options.max_degree,
                [&](Index b, std::span<const NodeId> a, std::span<const NodeId> c) {
                  EdgeId count = 0;
                  intersect(a, c, [&](NodeId) { ++count; });
                  out.offsets[static_cast<std::size_t>(b + 1)] = count;
                });
  for (Index b = 0; b < n; ++b)
    out.offsets[static_cast<std::size_t>(b + 1)] += out.offsets[static_cast<std::size_t>(b)];
  out.nodes.resize(static_cast<std::size_t>(out.offsets.back()));
  for_each_pair(g, pairs, options.max_degree,
                [&](Index b, std::span<const NodeId> a, std::span<const NodeId> c) {
                  NodeId* at = out.nodes.data() + out.offsets[static_cast<std::size_t>(b)];
                  intersect(a, c, [&](NodeId u) { *at++ = u; });
                });
  return out;
}

namespace {

// Calls visit(kind, u) for every distinct u of a ∪ b in ascending order, kind 0 = in both,
// 1 = only in a, 2 = only in b.
template <typename Visit>
void merge3(std::span<const NodeId> a, std::span<const NodeId> b, Visit&& visit) {
  std::size_t x = 0;
  std::size_t y = 0;
  while (x < a.size() || y < b.size()) {
    const NodeId u = y == b.size() || (x < a.size() && a[x] < b[y]) ? a[x] : b[y];
    const bool in_a = x < a.size() && a[x] == u;
    const bool in_b = y < b.size() && b[y] == u;
    visit(in_a && in_b ? 0 : (in_a ? 1 : 2), u);
    while (x < a.size() && a[x] == u) ++x;
    while (y < b.size() && b[y] == u) ++y;
  }
}

}  // namespace

NeighborhoodSplit split_neighborhoods(const Csr& g, const EdgeList& pairs,
                                      const CommonNeighborOptions& options) {
  check_inputs(g, pairs, options);
  const Index n = pairs.size();
  NeighborhoodSplit out;
  PairNeighbors* parts[] = {&out.common, &out.only_src, &out.only_dst};
  for (PairNeighbors* p : parts) p->offsets.assign(static_cast<std::size_t>(n + 1), 0);
  for_each_pair(g, pairs, options.max_degree,
                [&](Index b, std::span<const NodeId> a, std::span<const NodeId> c) {
                  EdgeId count[3] = {0, 0, 0};
                  merge3(a, c, [&](int kind, NodeId) { ++count[kind]; });
                  for (int k = 0; k < 3; ++k)
                    parts[k]->offsets[static_cast<std::size_t>(b + 1)] = count[k];
                });
  for (PairNeighbors* p : parts) {
    for (Index b = 0; b < n; ++b)
      p->offsets[static_cast<std::size_t>(b + 1)] += p->offsets[static_cast<std::size_t>(b)];
    p->nodes.resize(static_cast<std::size_t>(p->offsets.back()));
  }
  for_each_pair(g, pairs, options.max_degree,
                [&](Index b, std::span<const NodeId> a, std::span<const NodeId> c) {
                  NodeId* at[3];
                  for (int k = 0; k < 3; ++k)
                    at[k] = parts[k]->nodes.data() + parts[k]->offsets[static_cast<std::size_t>(b)];
                  merge3(a, c, [&](int kind, NodeId u) { *at[kind]++ = u; });
                });
  return out;
}

std::vector<float> link_heuristic(const Csr& g, const EdgeList& pairs, LinkHeuristic heuristic,
                                  const CommonNeighborOptions& options) {
  check_inputs(g, pairs, options);
  const EdgeId* ptr = g.row_ptr().host().data();
  std::vector<float> out(static_cast<std::size_t>(pairs.size()), 0.0f);
  for_each_pair(g, pairs, options.max_degree,
                [&](Index b, std::span<const NodeId> a, std::span<const NodeId> c) {
                  double s = 0.0;
                  intersect(a, c, [&](NodeId u) {
                    const auto d = static_cast<double>(ptr[u + 1] - ptr[u]);
                    switch (heuristic) {
                      case LinkHeuristic::CommonNeighbors: s += 1.0; break;
                      case LinkHeuristic::AdamicAdar: s += d > 1.0 ? 1.0 / std::log(d) : 0.0; break;
                      case LinkHeuristic::ResourceAllocation: s += 1.0 / d; break;
                    }
                  });
                  out[static_cast<std::size_t>(b)] = static_cast<float>(s);
                });
  return out;
}

}  // namespace moegnn::graph
