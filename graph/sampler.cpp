// SPDX-License-Identifier: Apache-2.0
// Neighbour sampling. Per layer: (1) count min(degree, fanout) per destination and scan; (2) draw
// positions in parallel with Floyd's algorithm (Bentley & Floyd, 1987: f distinct values from f
// draws, no rejection), keyed by (layer key, destination index); (3) relabel sources serially in
// first-appearance order through a reused num_nodes map (one sequential pass, a few ns per edge);
// (4) sort each row by local id in parallel. Only step (3) is serial, and it touches each sampled
// edge once.
#include "graph/sampler.h"

#include <algorithm>

#include "core/parallel.h"
#include "graph/detail/checks.h"
#include "graph/detail/scan.h"

namespace moegnn::graph {
namespace {

constexpr NodeId kAbsent = -1;
// Up to this fanout the chosen set is searched linearly; above it a per-chunk flag array is used.
constexpr int kLinearLimit = 32;
constexpr Index kDstGrain = 64;

__extension__ using Uint128 = unsigned __int128;

// Uniform in [0, n) by multiply-shift; the bias (< n / 2^64) is far below any sampling noise.
inline EdgeId below(std::uint64_t bits, EdgeId n) {
  return static_cast<EdgeId>((static_cast<Uint128>(bits) * static_cast<std::uint64_t>(n)) >> 64);
}

// Writes f distinct positions of [0, d) (f < d), ascending, to out. Floyd: for j = d - f .. d - 1
// draw t in [0, j]; take t, or j when t is already taken. Draw j uses Rng::bits(key, j).
void choose_positions(std::uint64_t key, EdgeId d, int f, EdgeId* out,
                      std::vector<std::uint8_t>& taken) {
  if (f <= kLinearLimit) {
    int n = 0;
    for (EdgeId j = d - f; j < d; ++j) {
      EdgeId t = below(Rng::bits(key, static_cast<std::uint64_t>(j)), j + 1);
      if (std::find(out, out + n, t) != out + n) t = j;
      out[n++] = t;
    }
  } else {
    if (static_cast<EdgeId>(taken.size()) < d) taken.resize(static_cast<std::size_t>(d), 0);
    int n = 0;
    for (EdgeId j = d - f; j < d; ++j) {
      EdgeId t = below(Rng::bits(key, static_cast<std::uint64_t>(j)), j + 1);
      if (taken[t] != 0) t = j;
      taken[t] = 1;
      out[n++] = t;
    }
    for (int i = 0; i < f; ++i) taken[out[i]] = 0;
  }
  std::sort(out, out + f);
}

// Clears the id map if sampling unwinds half-way, so the next call starts clean.
struct MapGuard {
  std::vector<NodeId>& map;
  bool done = false;
  ~MapGuard() {
    if (!done) std::fill(map.begin(), map.end(), kAbsent);
  }
};

}  // namespace

NeighborSampler::NeighborSampler(Csr graph, std::vector<int> fanouts)
    : graph_(std::move(graph)), fanouts_(std::move(fanouts)) {
  detail::require_cpu(graph_, "NeighborSampler");
  detail::require_square(graph_, "NeighborSampler");
  MOEGNN_CHECK_AS(InvalidArgument, "NeighborSampler", !fanouts_.empty(),
                  "fanouts is empty vs one fanout per layer");
  for (std::size_t l = 0; l < fanouts_.size(); ++l)
    MOEGNN_CHECK_AS(InvalidArgument, "NeighborSampler", fanouts_[l] >= -1, "fanouts[", l, "] = ",
                    fanouts_[l], " vs >= 0, or -1 for all neighbours");
}

std::vector<Block> NeighborSampler::sample(const NodeIds& seeds, Rng& rng) {
  detail::check_node_ids(seeds, graph_.num_rows(), "NeighborSampler::sample", "seeds");
  if (local_.empty()) local_.assign(static_cast<std::size_t>(graph_.num_rows()), kAbsent);
  MapGuard guard{local_};
  // The map holds dst -> local for the layer being built; seeds are the output layer's dst.
  std::vector<NodeId> frontier(seeds.host().begin(), seeds.host().end());
  for (std::size_t i = 0; i < frontier.size(); ++i) {
    NodeId& slot = local_[static_cast<std::size_t>(frontier[i])];
    MOEGNN_CHECK_AS(InvalidArgument, "NeighborSampler::sample", slot == kAbsent, "seeds[", i,
                    "] = ", frontier[i], " repeats seeds[", slot, "] vs distinct seeds");
    slot = static_cast<NodeId>(i);
  }
  std::vector<Block> blocks(fanouts_.size());
  for (std::size_t l = fanouts_.size(); l-- > 0;) {
    blocks[l] = sample_layer(frontier, fanouts_[l], rng.split());
    // A block's sources, in local order, are the next layer's destinations: the map already says so.
    const auto src = blocks[l].src_nodes.host();
    frontier.assign(src.begin(), src.end());
  }
  for (const NodeId v : frontier) local_[static_cast<std::size_t>(v)] = kAbsent;
  guard.done = true;
  return blocks;
}

Block NeighborSampler::sample_layer(const std::vector<NodeId>& dst, int fanout, std::uint64_t key) {
  const auto n = static_cast<Index>(dst.size());
  const EdgeId* ptr = graph_.row_ptr().host().data();
  const NodeId* col = graph_.col_idx().host().data();
  // 1. Edges per destination, then offsets.
  EdgeIds row_ptr(n + 1);
  EdgeId* out_ptr = row_ptr.host().data();
  parallel_for(0, n, [&](Index i) {
    const EdgeId d = ptr[dst[i] + 1] - ptr[dst[i]];
    out_ptr[i + 1] = fanout < 0 ? d : std::min<EdgeId>(d, fanout);
  }, 1 << 12);
  detail::counts_to_offsets(out_ptr, n);
  const EdgeId m = out_ptr[n];
  // 2. Draw: parent edge ids and their (global) sources.
  EdgeIds edge_ids(m);
  EdgeId* eid = edge_ids.host().data();
  std::vector<NodeId> global(static_cast<std::size_t>(m));
  parallel_for_range(0, n, [&](Index lo, Index hi) {
    std::vector<std::uint8_t> taken;
    for (Index i = lo; i < hi; ++i) {
      const EdgeId begin = ptr[dst[i]];
      const EdgeId d = ptr[dst[i] + 1] - begin;
      EdgeId* out = eid + out_ptr[i];
      const EdgeId count = out_ptr[i + 1] - out_ptr[i];
      if (count == d) {
        for (EdgeId k = 0; k < d; ++k) out[k] = k;
      } else {
        choose_positions(Rng::bits(key, static_cast<std::uint64_t>(i)), d, fanout, out, taken);
      }
      for (EdgeId k = 0; k < count; ++k) {
        out[k] += begin;
        global[out_ptr[i] + k] = col[out[k]];
      }
    }
  }, kDstGrain);
  // 3. Relabel: destinations keep 0..n-1, new sources follow in first-appearance order.
  std::vector<NodeId> src(dst);
  NodeIds col_idx(m);
  NodeId* local_col = col_idx.host().data();
  for (EdgeId k = 0; k < m; ++k) {
    NodeId& slot = local_[static_cast<std::size_t>(global[k])];
    if (slot == kAbsent) {
      slot = static_cast<NodeId>(src.size());
      src.push_back(global[k]);
    }
    local_col[k] = slot;
  }
  // 4. Sort rows by local source (ties, from multi-edges, by parent edge id).
  parallel_for_range(0, n, [&](Index lo, Index hi) {
    std::vector<std::pair<NodeId, EdgeId>> row;
    for (Index i = lo; i < hi; ++i) {
      const EdgeId b = out_ptr[i];
      const EdgeId e = out_ptr[i + 1];
      row.clear();
      for (EdgeId k = b; k < e; ++k) row.emplace_back(local_col[k], eid[k]);
      std::sort(row.begin(), row.end());
      for (EdgeId k = b; k < e; ++k) std::tie(local_col[k], eid[k]) = row[k - b];
    }
  }, kDstGrain);
  Tensor values;
  if (graph_.has_values()) {
    values = Tensor::empty(m, 1);
    const float* v = graph_.values().data();
    float* out = values.data();
    parallel_for(0, m, [&](Index k) { out[k] = v[eid[k]]; }, 1 << 14);
  }
  const auto num_src = static_cast<Index>(src.size());
  return Block{Csr(n, num_src, std::move(row_ptr), std::move(col_idx), std::move(values),
                   Validate::Trusted),
               NodeIds(src), n, std::move(edge_ids)};
}

std::vector<Block> sample_blocks(const Csr& g, const NodeIds& seeds, std::span<const int> fanouts,
                                 Rng& rng) {
  NeighborSampler sampler(g, std::vector<int>(fanouts.begin(), fanouts.end()));
  return sampler.sample(seeds, rng);
}

}  // namespace moegnn::graph
