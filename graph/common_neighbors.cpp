// SPDX-License-Identifier: Apache-2.0
// Common neighbours by sorted-row intersection: validation, then a counting pass and a filling
// pass over the pairs in parallel; the per-pair kernel picks merge or galloping by degree ratio,
// or ANDs bitset rows on a dense graph.
#include "graph/common_neighbors.h"

#include <algorithm>
#include <bit>
#include <cstdint>
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

// The rows of g (each capped at `cap` entries when cap > 0) as the two pair kernels need them:
// sorted spans, and on a dense graph also bitsets (Intersection in the header).
class RowSets {
 public:
  RowSets(const Csr& g, Index cap, Index num_pairs, Intersection method)
      : ptr_(g.row_ptr().host().data()), col_(g.col_idx().host().data()), cap_(cap) {
    const Index n = g.num_nodes();
    const Index words = (n + 63) / 64;
    if (method == Intersection::Auto) method = intersection_for(g, cap, num_pairs);
    if (method != Intersection::Bitsets) return;
    MOEGNN_CHECK_AS(InvalidArgument, "common_neighbors", n * words * 8 <= kMaxBitsetBytes,
                    "Intersection::Bitsets needs ", n * words * 8, " bytes for ", n,
                    " nodes vs at most kMaxBitsetBytes = ", kMaxBitsetBytes,
                    "; use Intersection::Lists or Auto");
    words_ = words;
    bits_.assign(static_cast<std::size_t>(n * words), 0);
    parallel_for(Index{0}, n, [&](Index r) {
      std::uint64_t* b = bits_.data() + r * words;
      for (const NodeId u : row(static_cast<NodeId>(r)))
        b[u / 64] |= std::uint64_t{1} << (u % 64);
    }, 256);
  }

  // |N(i) ∩ N(j)|.
  EdgeId count_common(NodeId i, NodeId j) const {
    if (words_ == 0) {
      EdgeId count = 0;
      intersect(row(i), row(j), [&](NodeId) { ++count; });
      return count;
    }
    const std::uint64_t* a = bits(i);
    const std::uint64_t* b = bits(j);
    EdgeId count = 0;
    for (Index w = 0; w < words_; ++w) count += std::popcount(a[w] & b[w]);
    return count;
  }

  // emit(u) for every u in N(i) ∩ N(j), ascending.
  template <typename Emit>
  void common(NodeId i, NodeId j, Emit&& emit) const {
    if (words_ == 0) return intersect(row(i), row(j), emit);
    const std::uint64_t* a = bits(i);
    const std::uint64_t* b = bits(j);
    for (Index w = 0; w < words_; ++w) {
      for (std::uint64_t m = a[w] & b[w]; m != 0; m &= m - 1)
        emit(static_cast<NodeId>(w * 64 + std::countr_zero(m)));
    }
  }

  // visit(kind, u) for every u in N(i) ∪ N(j), ascending, kinds as merge3().
  template <typename Visit>
  void split(NodeId i, NodeId j, Visit&& visit) const {
    if (words_ == 0) return merge3(row(i), row(j), visit);
    const std::uint64_t* a = bits(i);
    const std::uint64_t* b = bits(j);
    for (Index w = 0; w < words_; ++w) {
      for (std::uint64_t m = a[w] | b[w]; m != 0; m &= m - 1) {
        const std::uint64_t bit = m & (~m + 1);
        const bool in_a = (a[w] & bit) != 0;
        visit(in_a && (b[w] & bit) != 0 ? 0 : (in_a ? 1 : 2),
              static_cast<NodeId>(w * 64 + std::countr_zero(m)));
      }
    }
  }

 private:
  std::span<const NodeId> row(NodeId r) const { return row_of(ptr_, col_, r, cap_); }
  const std::uint64_t* bits(NodeId r) const {
    return bits_.data() + static_cast<Index>(r) * words_;
  }

  const EdgeId* ptr_;
  const NodeId* col_;
  Index cap_;
  Index words_ = 0;  // bitset words per row; 0 = no bitsets (Lists)
  std::vector<std::uint64_t> bits_;
};

// per_pair(b, src[b], dst[b]) over every pair, in parallel.
template <typename PerPair>
void for_each_pair(const EdgeList& pairs, PerPair&& per_pair) {
  const NodeId* src = pairs.src.host().data();
  const NodeId* dst = pairs.dst.host().data();
  parallel_for(Index{0}, pairs.size(), [&](Index b) { per_pair(b, src[b], dst[b]); }, 256);
}

}  // namespace

Intersection intersection_for(const Csr& g, Index max_degree, Index num_pairs) {
  const EdgeId* ptr = g.row_ptr().host().data();
  const Index n = g.num_rows();
  const Index words = (n + 63) / 64;
  // Mean capped row length; the build touches n · words words and every entry once.
  double entries = 0.0;
  for (Index r = 0; r < n; ++r) {
    const EdgeId len = ptr[r + 1] - ptr[r];
    entries += static_cast<double>(max_degree > 0 ? std::min<EdgeId>(len, max_degree) : len);
  }
  const double mean = n > 0 ? entries / static_cast<double>(n) : 0.0;
  const double build = static_cast<double>(n * words) + entries;
  const double saved = static_cast<double>(num_pairs) * (2.0 * mean - static_cast<double>(words));
  const bool dense = 2.0 * static_cast<double>(words) <= mean;
  return dense && n * words * 8 <= kMaxBitsetBytes && saved > build ? Intersection::Bitsets
                                                                     : Intersection::Lists;
}

Csr PairNeighbors::to_csr(Index num_nodes) const {
  return Csr(num_pairs(), num_nodes, EdgeIds(offsets), NodeIds(nodes), {}, Validate::Trusted);
}

PairNeighbors common_neighbors(const Csr& g, const EdgeList& pairs,
                               const CommonNeighborOptions& options) {
  check_inputs(g, pairs, options);
  const Index n = pairs.size();
  const RowSets sets(g, options.max_degree, n, options.method);
  PairNeighbors out;
  out.offsets.assign(static_cast<std::size_t>(n + 1), 0);
  for_each_pair(pairs, [&](Index b, NodeId i, NodeId j) {
    out.offsets[static_cast<std::size_t>(b + 1)] = sets.count_common(i, j);
  });
  for (Index b = 0; b < n; ++b)
    out.offsets[static_cast<std::size_t>(b + 1)] += out.offsets[static_cast<std::size_t>(b)];
  out.nodes.resize(static_cast<std::size_t>(out.offsets.back()));
  for_each_pair(pairs, [&](Index b, NodeId i, NodeId j) {
    NodeId* at = out.nodes.data() + out.offsets[static_cast<std::size_t>(b)];
    sets.common(i, j, [&](NodeId u) { *at++ = u; });
  });
  return out;
}

NeighborhoodSplit split_neighborhoods(const Csr& g, const EdgeList& pairs,
                                      const CommonNeighborOptions& options) {
  check_inputs(g, pairs, options);
  const Index n = pairs.size();
  NeighborhoodSplit out;
  PairNeighbors* parts[] = {&out.common, &out.only_src, &out.only_dst};
  for (PairNeighbors* p : parts) p->offsets.assign(static_cast<std::size_t>(n + 1), 0);
  const RowSets sets(g, options.max_degree, n, options.method);
  for_each_pair(pairs, [&](Index b, NodeId i, NodeId j) {
    EdgeId count[3] = {0, 0, 0};
    sets.split(i, j, [&](int kind, NodeId) { ++count[kind]; });
    for (int k = 0; k < 3; ++k) parts[k]->offsets[static_cast<std::size_t>(b + 1)] = count[k];
  });
  for (PairNeighbors* p : parts) {
    for (Index b = 0; b < n; ++b)
      p->offsets[static_cast<std::size_t>(b + 1)] += p->offsets[static_cast<std::size_t>(b)];
    p->nodes.resize(static_cast<std::size_t>(p->offsets.back()));
  }
  for_each_pair(pairs, [&](Index b, NodeId i, NodeId j) {
    NodeId* at[3];
    for (int k = 0; k < 3; ++k)
      at[k] = parts[k]->nodes.data() + parts[k]->offsets[static_cast<std::size_t>(b)];
    sets.split(i, j, [&](int kind, NodeId u) { *at[kind]++ = u; });
  });
  return out;
}

std::vector<float> link_heuristic(const Csr& g, const EdgeList& pairs, LinkHeuristic heuristic,
                                  const CommonNeighborOptions& options) {
  check_inputs(g, pairs, options);
  const EdgeId* ptr = g.row_ptr().host().data();
  std::vector<float> out(static_cast<std::size_t>(pairs.size()), 0.0f);
  const RowSets sets(g, options.max_degree, pairs.size(), options.method);
  for_each_pair(pairs, [&](Index b, NodeId i, NodeId j) {
    double s = 0.0;
    sets.common(i, j, [&](NodeId u) {
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
