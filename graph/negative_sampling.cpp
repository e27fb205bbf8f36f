// SPDX-License-Identifier: Apache-2.0
// Negative sampling: kMaxAttempts rejection draws per sample (membership by binary search in the
// sorted row), then an exact fallback that picks the r-th admissible pair. Conditioned on reaching
// the fallback the pick is uniform, so the mixture is exactly uniform over non-edges.
#include "graph/negative_sampling.h"

#include <algorithm>
#include <span>
#include <vector>

#include "core/parallel.h"
#include "graph/detail/checks.h"
#include "graph/detail/scan.h"

namespace moegnn::graph {
namespace {

constexpr int kMaxAttempts = 64;
constexpr NodeId kPending = -1;
constexpr NodeId kImpossible = -2;

// Uniform in [0, n) from 32 random bits (n < 2^31; bias below n / 2^32).
inline NodeId below32(std::uint64_t bits32, Index n) {
  return static_cast<NodeId>(((bits32 & 0xffffffffULL) * static_cast<std::uint64_t>(n)) >> 32);
}

__extension__ using Uint128 = unsigned __int128;
inline Index below64(std::uint64_t bits, Index n) {
  return static_cast<Index>((static_cast<Uint128>(bits) * static_cast<std::uint64_t>(n)) >> 64);
}

struct Rows {
  const EdgeId* ptr;
  const NodeId* col;
  std::span<const NodeId> row(Index r) const {
    return {col + ptr[r], static_cast<std::size_t>(ptr[r + 1] - ptr[r])};
  }
  bool contains(Index r, NodeId c) const {
    return std::binary_search(col + ptr[r], col + ptr[r + 1], c);
  }
};

// Sorted distinct values of `sorted` plus `extra` (when >= 0).
void present_set(std::span<const NodeId> sorted, NodeId extra, std::vector<NodeId>& out) {
  out.clear();
  bool placed = extra < 0;
  for (const NodeId c : sorted) {
    if (!placed && extra <= c) {
      out.push_back(extra);
      placed = true;
    }
    if (out.empty() || out.back() != c) out.push_back(c);
  }
  if (!placed) out.push_back(extra);
}

// The q-th (from 0) value of [0, ∞) missing from `present` (sorted, distinct).
NodeId nth_missing(const std::vector<NodeId>& present, Index q) {
  Index value = q;
  for (const NodeId p : present) {
    if (p > value) break;
    ++value;
  }
  return static_cast<NodeId>(value);
}

void check_graph(const Csr& g, const char* function) {
  detail::require_cpu(g, function);
  MOEGNN_CHECK_AS(InvalidArgument, function, detail::rows_sorted(g),
                  "graph rows are not sorted vs sorted columns per row; call coalesce() first");
}

// Admissible sources per row (num_cols minus the distinct columns, minus the loop when excluded).
std::vector<EdgeId> admissible_per_row(const Csr& g, bool loops) {
  const Rows rows{g.row_ptr().host().data(), g.col_idx().host().data()};
  std::vector<EdgeId> offsets(static_cast<std::size_t>(g.num_rows()) + 1, 0);
  parallel_for_range(0, g.num_rows(), [&](Index lo, Index hi) {
    std::vector<NodeId> present;
    for (Index r = lo; r < hi; ++r) {
      present_set(rows.row(r), loops ? static_cast<NodeId>(r) : -1, present);
      offsets[r + 1] = g.num_cols() - static_cast<EdgeId>(present.size());
    }
  }, 1024);
  detail::counts_to_offsets(offsets.data(), g.num_rows());
  return offsets;
}

}  // namespace

EdgeList negative_sampling(const Csr& g, Index num_samples, Rng& rng, bool exclude_self_loops) {
  // 1. Validate; make sure an admissible pair exists before drawing.
  check_graph(g, "negative_sampling");
  MOEGNN_CHECK(num_samples >= 0, "num_samples ", num_samples, " vs >= 0");
  const bool loops = exclude_self_loops && g.is_square();
  const Index rows_n = g.num_rows();
  const Index cols_n = g.num_cols();
  std::vector<EdgeId> offsets;  // exact counts, only built when needed
  const EdgeId pairs = rows_n * cols_n;
  if (num_samples > 0 && g.num_edges() + (loops ? rows_n : 0) >= pairs) {
    offsets = admissible_per_row(g, loops);
    MOEGNN_CHECK(offsets.back() > 0, "graph ", rows_n, " × ", cols_n, " with ", g.num_edges(),
                 " edges has 0 non-edges vs > 0 needed for ", num_samples, " samples");
  }
  // 2. Rejection draws.
  const Rows rows{g.row_ptr().host().data(), g.col_idx().host().data()};
  const std::uint64_t key = rng.split();
  EdgeList out{NodeIds(num_samples), NodeIds(num_samples)};
  NodeId* src = out.src.host().data();
  NodeId* dst = out.dst.host().data();
  parallel_for(0, num_samples, [&](Index i) {
    const std::uint64_t sub = Rng::bits(key, static_cast<std::uint64_t>(i));
    src[i] = kPending;
    for (int t = 0; t < kMaxAttempts; ++t) {
      const std::uint64_t b = Rng::bits(sub, static_cast<std::uint64_t>(t));
      const NodeId s = below32(b, cols_n);
      const NodeId d = below32(b >> 32, rows_n);
      if ((loops && s == d) || rows.contains(d, s)) continue;
      src[i] = s;
      dst[i] = d;
      return;
    }
  }, 4096);
  // 3. Exact fallback for samples that only hit edges: the r-th admissible pair, r uniform.
  const Index pending = detail::first_position(num_samples, [&](Index i) { return src[i] == kPending; });
  if (pending == num_samples) return out;
  if (offsets.empty()) offsets = admissible_per_row(g, loops);
  parallel_for_range(pending, num_samples, [&](Index lo, Index hi) {
    std::vector<NodeId> present;
    for (Index i = lo; i < hi; ++i) {
      if (src[i] != kPending) continue;
      const std::uint64_t sub = Rng::bits(key, static_cast<std::uint64_t>(i));
      const Index r = below64(Rng::bits(sub, kMaxAttempts), offsets.back());
      const auto d = static_cast<Index>(std::upper_bound(offsets.begin(), offsets.end(), r) -
                                        offsets.begin()) - 1;
      present_set(rows.row(d), loops ? static_cast<NodeId>(d) : -1, present);
      src[i] = nth_missing(present, r - offsets[d]);
      dst[i] = static_cast<NodeId>(d);
    }
  }, 256);
  return out;
}

EdgeList structured_negative_sampling(const Csr& g, const EdgeList& positives, Index num_negatives,
                                      Rng& rng, bool exclude_self_loops) {
  // 1. Validate.
  const char* fn = "structured_negative_sampling";
  check_graph(g, fn);
  MOEGNN_CHECK(num_negatives >= 0, "num_negatives ", num_negatives, " vs >= 0");
  MOEGNN_CHECK(positives.src.size() == positives.dst.size(), "positives.src has ",
               positives.src.size(), " ids vs positives.dst ", positives.dst.size());
  detail::check_node_ids(positives.src, g.num_cols(), fn, "positives.src");
  detail::check_node_ids(positives.dst, g.num_rows(), fn, "positives.dst");
  MOEGNN_CHECK(num_negatives == 0 || positives.size() <= (Index{1} << 40) / num_negatives,
               positives.size(), " positives × ", num_negatives, " negatives vs at most 2^40 pairs");
  const bool loops = exclude_self_loops && g.is_square();
  const Index total = positives.size() * num_negatives;
  const NodeId* pos_src = positives.src.host().data();
  const Rows rows{g.row_ptr().host().data(), g.col_idx().host().data()};
  const Index rows_n = g.num_rows();
  // 2. Rejection draws over destinations.
  const std::uint64_t key = rng.split();
  EdgeList out{NodeIds(total), NodeIds(total)};
  NodeId* src = out.src.host().data();
  NodeId* dst = out.dst.host().data();
  parallel_for(0, total, [&](Index i) {
    const NodeId s = pos_src[i / num_negatives];
    const std::uint64_t sub = Rng::bits(key, static_cast<std::uint64_t>(i));
    src[i] = s;
    dst[i] = kPending;
    for (int t = 0; t < kMaxAttempts && dst[i] == kPending; ++t) {
      const NodeId d = below32(Rng::bits(sub, static_cast<std::uint64_t>(t)), rows_n);
      if (!((loops && s == d) || rows.contains(d, s))) dst[i] = d;
    }
  }, 4096);
  // 3. Exact fallback from the source's out-neighbours (a row of the cached transpose).
  const Index pending = detail::first_position(total, [&](Index i) { return dst[i] == kPending; });
  if (pending == total) return out;
  const Csr& t = g.transpose();
  const Rows out_rows{t.row_ptr().host().data(), t.col_idx().host().data()};
  parallel_for_range(pending, total, [&](Index lo, Index hi) {
    std::vector<NodeId> present;
    for (Index i = lo; i < hi; ++i) {
      if (dst[i] != kPending) continue;
      const NodeId s = src[i];
      present_set(out_rows.row(s), loops ? s : -1, present);
      const Index available = rows_n - static_cast<Index>(present.size());
      if (available == 0) {
        dst[i] = kImpossible;
        continue;
      }
      const std::uint64_t sub = Rng::bits(key, static_cast<std::uint64_t>(i));
      dst[i] = nth_missing(present, below64(Rng::bits(sub, kMaxAttempts), available));
    }
  }, 256);
  const Index bad = detail::first_position(total, [&](Index i) { return dst[i] == kImpossible; });
  MOEGNN_CHECK(bad == total, "positives.src[", bad / std::max<Index>(num_negatives, 1), "] = ",
               bad < total ? src[bad] : 0, " links to all ", rows_n,
               " admissible destinations vs at least one non-neighbour");
  return out;
}

}  // namespace moegnn::graph
