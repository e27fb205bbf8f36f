// SPDX-License-Identifier: Apache-2.0
// Neighbour sampling. Per layer: (1) count min(degree, fanout) per destination and scan; (2) draw
// positions in parallel with Floyd's algorithm (Bentley & Floyd, 1987: f distinct values from f
// draws, no rejection), keyed by (layer key, destination index); (3) relabel sources serially in
// first-appearance order through a reused num_nodes map (one sequential pass, a few ns per edge);
// (4) sort each row by local id in parallel. Only step (3) is serial, and it touches each sampled
// edge once.
#include "graph/sampler.h"

#include <algorithm>
#include <atomic>

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

// Writes f distinct positions of [0, d) (f < d), in draw order, to out. Floyd: for j = d - f .. d - 1
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
}

struct RowDraw {
  EdgeId begin;   // the destination's first edge in the parent
  EdgeId degree;  // its in-degree
  EdgeId count;   // edges to draw: min(degree, fanout), or degree for fanout -1
};

// Fills one block row: parent edge ids (all of them, or `count` drawn with `key`) and their sources.
void draw_row(const RowDraw& row, const NodeId* col, int fanout, std::uint64_t key, EdgeId* eid,
              NodeId* global, std::vector<std::uint8_t>& taken) {
  if (row.count == row.degree) {
    for (EdgeId k = 0; k < row.degree; ++k) eid[k] = k;
  } else {
    choose_positions(key, row.degree, fanout, eid, taken);
  }
  for (EdgeId k = 0; k < row.count; ++k) {
    eid[k] += row.begin;
    global[k] = col[eid[k]];
  }
}

// Sorts one block row by local source; ties (multi-edges) keep their draw order. Keys pack
// (local id, position in row), so sorting them sorts the row and says where each edge id goes.
void sort_row(NodeId* col, EdgeId* eid, EdgeId len, std::vector<std::uint64_t>& keys,
              std::vector<EdgeId>& ids) {
  MOEGNN_ASSERT(len < (EdgeId{1} << 32));
  keys.resize(static_cast<std::size_t>(len));
  for (EdgeId k = 0; k < len; ++k)
    keys[k] = (static_cast<std::uint64_t>(col[k]) << 32) | static_cast<std::uint64_t>(k);
  if (len <= 32) {  // insertion sort: rows are fanout-sized
    for (EdgeId i = 1; i < len; ++i) {
      const std::uint64_t key = keys[i];
      EdgeId j = i;
      for (; j > 0 && keys[j - 1] > key; --j) keys[j] = keys[j - 1];
      keys[j] = key;
    }
  } else {
    std::sort(keys.begin(), keys.end());
  }
  ids.assign(eid, eid + len);
  for (EdgeId k = 0; k < len; ++k) {
    col[k] = static_cast<NodeId>(keys[k] >> 32);
    eid[k] = ids[keys[k] & 0xffffffffULL];
  }
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
    for (Index i = lo; i < hi; ++i)
      draw_row(RowDraw{ptr[dst[i]], ptr[dst[i] + 1] - ptr[dst[i]], out_ptr[i + 1] - out_ptr[i]},
               col, fanout, Rng::bits(key, static_cast<std::uint64_t>(i)), eid + out_ptr[i],
               global.data() + out_ptr[i], taken);
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
  // 4. Sort rows by local source.
  parallel_for_range(0, n, [&](Index lo, Index hi) {
    std::vector<std::uint64_t> keys;
    std::vector<EdgeId> ids;
    for (Index i = lo; i < hi; ++i)
      sort_row(local_col + out_ptr[i], eid + out_ptr[i], out_ptr[i + 1] - out_ptr[i], keys, ids);
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

namespace {

// One full-neighbour block over destinations `dst` (distinct); `local` is all kAbsent on entry and
// on return. Sources: the destinations, then every other in-neighbour in ascending global id.
Block full_layer(const Csr& g, const std::vector<NodeId>& dst, std::vector<NodeId>& local,
                 std::vector<std::uint8_t>& mark) {
  const auto n = static_cast<Index>(dst.size());
  const Index num_nodes = g.num_rows();
  const EdgeId* ptr = g.row_ptr().host().data();
  const NodeId* col = g.col_idx().host().data();
  parallel_for(0, n, [&](Index i) { local[static_cast<std::size_t>(dst[i])] = static_cast<NodeId>(i); },
               1 << 14);
  // Mark the neighbours that are not destinations (a plain byte store of the same value from any
  // thread: relaxed atomics keep it race-free).
  parallel_for(0, n, [&](Index i) {
    for (EdgeId k = ptr[dst[i]]; k < ptr[dst[i] + 1]; ++k) {
      const auto v = static_cast<std::size_t>(col[k]);
      if (local[v] == kAbsent) std::atomic_ref<std::uint8_t>(mark[v]).store(1, std::memory_order_relaxed);
    }
  }, kDstGrain);
  // New sources in ascending id: count marks per block of nodes, scan, then place.
  constexpr Index kBlock = 1 << 14;
  const Index blocks = (num_nodes + kBlock - 1) / kBlock;
  std::vector<EdgeId> counts(static_cast<std::size_t>(blocks) + 1, 0);
  parallel_for(0, blocks, [&](Index b) {
    EdgeId c = 0;
    for (Index v = b * kBlock; v < std::min(num_nodes, (b + 1) * kBlock); ++v) c += mark[v];
    counts[static_cast<std::size_t>(b) + 1] = c;
  }, 1);
  for (Index b = 0; b < blocks; ++b) counts[b + 1] += counts[b];
  const Index num_src = n + counts[static_cast<std::size_t>(blocks)];
  NodeIds src_nodes(num_src);
  NodeId* src = src_nodes.host().data();
  std::copy(dst.begin(), dst.end(), src);
  parallel_for(0, blocks, [&](Index b) {
    auto next = static_cast<NodeId>(n + counts[static_cast<std::size_t>(b)]);
    for (Index v = b * kBlock; v < std::min(num_nodes, (b + 1) * kBlock); ++v) {
      if (mark[v] == 0) continue;
      mark[v] = 0;
      local[v] = next;
      src[next++] = static_cast<NodeId>(v);
    }
  }, 1);
  // Rows: every edge of each destination in the parent's order, relabelled.
  EdgeIds row_ptr(n + 1);
  EdgeId* out_ptr = row_ptr.host().data();
  parallel_for(0, n, [&](Index i) { out_ptr[i + 1] = ptr[dst[i] + 1] - ptr[dst[i]]; }, 1 << 12);
  detail::counts_to_offsets(out_ptr, n);
  const EdgeId m = out_ptr[n];
  EdgeIds edge_ids(m);
  NodeIds col_idx(m);
  EdgeId* eid = edge_ids.host().data();
  NodeId* local_col = col_idx.host().data();
  parallel_for(0, n, [&](Index i) {
    const EdgeId begin = ptr[dst[i]];
    const EdgeId len = out_ptr[i + 1] - out_ptr[i];
    for (EdgeId k = 0; k < len; ++k) {
      eid[out_ptr[i] + k] = begin + k;
      local_col[out_ptr[i] + k] = local[static_cast<std::size_t>(col[begin + k])];
    }
  }, kDstGrain);
  Tensor values;
  if (g.has_values()) {
    values = Tensor::empty(m, 1);
    const float* v = g.values().data();
    float* out = values.data();
    parallel_for(0, m, [&](Index k) { out[k] = v[eid[k]]; }, 1 << 14);
  }
  parallel_for(0, num_src, [&](Index i) { local[static_cast<std::size_t>(src[i])] = kAbsent; },
               1 << 14);
  return Block{Csr(n, num_src, std::move(row_ptr), std::move(col_idx), std::move(values),
                   Validate::Trusted),
               std::move(src_nodes), n, std::move(edge_ids)};
}

}  // namespace

std::vector<Block> full_neighbor_blocks(const Csr& g, const NodeIds& seeds, int num_layers) {
  detail::require_cpu(g, "full_neighbor_blocks");
  detail::require_square(g, "full_neighbor_blocks");
  MOEGNN_CHECK_AS(InvalidArgument, "full_neighbor_blocks", num_layers >= 1, "num_layers is ",
                  num_layers, " vs >= 1");
  detail::check_node_ids(seeds, g.num_rows(), "full_neighbor_blocks", "seeds");
  std::vector<NodeId> local(static_cast<std::size_t>(g.num_rows()), kAbsent);
  std::vector<std::uint8_t> mark(static_cast<std::size_t>(g.num_rows()), 0);
  const auto seed = seeds.host();
  for (std::size_t i = 0; i < seed.size(); ++i) {
    NodeId& slot = local[static_cast<std::size_t>(seed[i])];
    MOEGNN_CHECK_AS(InvalidArgument, "full_neighbor_blocks", slot == kAbsent, "seeds[", i, "] = ",
                    seed[i], " repeats seeds[", slot, "] vs distinct seeds");
    slot = static_cast<NodeId>(i);
  }
  for (const NodeId v : seed) local[static_cast<std::size_t>(v)] = kAbsent;
  std::vector<NodeId> frontier(seed.begin(), seed.end());
  std::vector<Block> blocks(static_cast<std::size_t>(num_layers));
  for (std::size_t l = blocks.size(); l-- > 0;) {
    blocks[l] = full_layer(g, frontier, local, mark);
    const auto src = blocks[l].src_nodes.host();
    frontier.assign(src.begin(), src.end());
  }
  return blocks;
}

}  // namespace moegnn::graph
