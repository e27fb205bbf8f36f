// SPDX-License-Identifier: Apache-2.0
// Node partitioning: METIS_PartGraphKway on the symmetrised graph (DistDGL's two vertex weights),
// a seeded balanced random assignment, and the cut / halo / balance measures of an assignment.
#include "dist/partition.h"

#include <metis.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "core/error.h"
#include "core/rng.h"
#include "core/shuffle.h"

namespace moegnn::dist {
namespace {

constexpr const char* kPartition = "dist::partition_nodes";

void check_inputs(const char* function, const graph::Csr& graph, const IndexArray32& train,
                  Index num_parts) {
  MOEGNN_CHECK_AS(InvalidArgument, function, graph.is_square(), "graph is not square: ",
                  graph.num_rows(), " × ", graph.num_cols(), " vs a square node graph");
  MOEGNN_CHECK_AS(InvalidArgument, function, graph.device() == Device::Cpu,
                  "graph is not on the CPU; move it with to(Device::Cpu) first");
  MOEGNN_CHECK_AS(InvalidArgument, function, num_parts >= 1, "num_parts ", num_parts,
                  " vs >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, function, num_parts <= std::max<Index>(graph.num_nodes(), 1),
                  "more parts than nodes: ", num_parts, " vs <= ", graph.num_nodes());
  for (const auto t : train.host()) {
    MOEGNN_CHECK_AS(InvalidArgument, function, t >= 0 && t < graph.num_nodes(),
                    "train id out of range: ", t, " vs [0, ", graph.num_nodes(), ")");
  }
}

// Shuffle the node ids (Fisher–Yates with the seeded Rng), then deal them round-robin: part sizes
// differ by at most one.
IndexArray32 random_assignment(Index num_nodes, Index num_parts, std::uint64_t seed) {
  std::vector<std::int32_t> order(static_cast<std::size_t>(num_nodes));
  std::iota(order.begin(), order.end(), 0);
  Rng rng(seed);
  shuffle(std::span<std::int32_t>(order), rng);
  IndexArray32 assignment(num_nodes);
  auto out = assignment.host();
  for (Index i = 0; i < num_nodes; ++i) {
    out[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])] =
        static_cast<std::int32_t>(i % num_parts);
  }
  return assignment;
}

// The undirected simple graph METIS wants: every stored entry (v, u), u != v, in both rows, each
// neighbour once, rows sorted.
struct MetisGraph {
  std::vector<idx_t> xadj;
  std::vector<idx_t> adjncy;
};

MetisGraph symmetrise(const graph::Csr& graph) {
  const Index n = graph.num_nodes();
  std::vector<std::int64_t> count(static_cast<std::size_t>(n) + 1, 0);
  for (Index v = 0; v < n; ++v) {
    for (const auto u : graph.neighbors(v)) {
      if (u == v) continue;
      ++count[static_cast<std::size_t>(v) + 1];
      ++count[static_cast<std::size_t>(u) + 1];
    }
  }
  std::partial_sum(count.begin(), count.end(), count.begin());
  std::vector<std::int64_t> fill(count.begin(), count.end() - 1);
  std::vector<std::int32_t> both(static_cast<std::size_t>(count.back()));
  for (Index v = 0; v < n; ++v) {
    for (const auto u : graph.neighbors(v)) {
      if (u == v) continue;
      both[static_cast<std::size_t>(fill[static_cast<std::size_t>(v)]++)] = u;
      both[static_cast<std::size_t>(fill[static_cast<std::size_t>(u)]++)] =
          static_cast<std::int32_t>(v);
    }
  }
  MetisGraph out;
  out.xadj.assign(static_cast<std::size_t>(n) + 1, 0);
  out.adjncy.reserve(both.size());
  for (Index v = 0; v < n; ++v) {
    const auto begin = both.begin() + count[static_cast<std::size_t>(v)];
    const auto end = both.begin() + count[static_cast<std::size_t>(v) + 1];
    std::sort(begin, end);
    const auto last = std::unique(begin, end);
    out.adjncy.insert(out.adjncy.end(), begin, last);
    MOEGNN_CHECK_AS(InvalidArgument, kPartition,
                    out.adjncy.size() <= static_cast<std::size_t>(std::numeric_limits<idx_t>::max()),
                    "the symmetrised graph has more than ", std::numeric_limits<idx_t>::max(),
                    " entries, the limit of METIS's 32-bit idx_t; use PartitionMethod::Random");
    out.xadj[static_cast<std::size_t>(v) + 1] = static_cast<idx_t>(out.adjncy.size());
  }
  return out;
}

const char* metis_status_name(int status) {
  switch (status) {
    case METIS_ERROR_INPUT: return "METIS_ERROR_INPUT";
    case METIS_ERROR_MEMORY: return "METIS_ERROR_MEMORY";
    case METIS_ERROR: return "METIS_ERROR";
    default: return "unknown status";
  }
}

IndexArray32 metis_assignment(const graph::Csr& graph, const IndexArray32& train,
                              const PartitionOptions& options) {
  const Index n = graph.num_nodes();
  MetisGraph g = symmetrise(graph);
  idx_t nvtxs = static_cast<idx_t>(n);
  idx_t nparts = static_cast<idx_t>(options.num_parts);
  // DistDGL's weights: constraint 0 counts nodes, constraint 1 training nodes, so each part gets
  // its share of both (a part with few training nodes would idle in every step).
  const bool two = options.balance_train && !train.empty();
  idx_t ncon = two ? 2 : 1;
  std::vector<idx_t> vwgt(static_cast<std::size_t>(n) * static_cast<std::size_t>(ncon), 1);
  if (two) {
    for (Index v = 0; v < n; ++v) vwgt[static_cast<std::size_t>(2 * v + 1)] = 0;
    for (const auto t : train.host()) vwgt[static_cast<std::size_t>(2 * t + 1)] = 1;
  }
  std::vector<idx_t> metis_options(METIS_NOPTIONS);
  METIS_SetDefaultOptions(metis_options.data());
  metis_options[METIS_OPTION_SEED] =
      static_cast<idx_t>(options.seed % static_cast<std::uint64_t>(std::numeric_limits<idx_t>::max()));
  metis_options[METIS_OPTION_NUMBERING] = 0;
  idx_t objval = 0;
  std::vector<idx_t> part(static_cast<std::size_t>(n), 0);
  const int status = METIS_PartGraphKway(
      &nvtxs, &ncon, g.xadj.data(), g.adjncy.empty() ? nullptr : g.adjncy.data(), vwgt.data(),
      nullptr, nullptr, &nparts, nullptr, nullptr, metis_options.data(), &objval, part.data());
  MOEGNN_CHECK_AS(std::runtime_error, kPartition, status == METIS_OK, "METIS_PartGraphKway failed: ",
                  metis_status_name(status), " (", status, ") vs METIS_OK (", METIS_OK, ") for ",
                  n, " nodes, ", g.adjncy.size(), " symmetric entries, ", nparts, " parts");
  IndexArray32 assignment(n);
  auto out = assignment.host();
  for (Index v = 0; v < n; ++v) {
    const idx_t p = part[static_cast<std::size_t>(v)];
    MOEGNN_CHECK_AS(std::runtime_error, kPartition, p >= 0 && p < nparts, "METIS returned part ", p,
                    " for node ", v, " vs [0, ", nparts, ")");
    out[static_cast<std::size_t>(v)] = static_cast<std::int32_t>(p);
  }
  return assignment;
}

}  // namespace

IndexArray32 partition_nodes(const graph::Csr& graph, const IndexArray32& train,
                             const PartitionOptions& options) {
  check_inputs(kPartition, graph, train, options.num_parts);
  const Index n = graph.num_nodes();
  if (options.num_parts == 1) {
    IndexArray32 zeros(n);
    std::fill(zeros.host().begin(), zeros.host().end(), 0);
    return zeros;
  }
  switch (options.method) {
    case PartitionMethod::Random: return random_assignment(n, options.num_parts, options.seed);
    case PartitionMethod::Metis: return metis_assignment(graph, train, options);
  }
  MOEGNN_FAIL(InvalidArgument, kPartition, "unknown PartitionMethod ",
              static_cast<int>(options.method));
}

PartitionStats partition_stats(const graph::Csr& graph, const IndexArray32& train,
                               const IndexArray32& assignment, Index num_parts) {
  constexpr const char* kStats = "dist::partition_stats";
  check_inputs(kStats, graph, train, num_parts);
  const Index n = graph.num_nodes();
  MOEGNN_CHECK_AS(InvalidArgument, kStats, assignment.size() == n, "assignment has ",
                  assignment.size(), " entries vs ", n, " nodes");
  const auto a = assignment.host();
  PartitionStats s;
  s.num_parts = num_parts;
  const auto np = static_cast<std::size_t>(num_parts);
  s.nodes.assign(np, 0);
  s.train.assign(np, 0);
  s.halo.assign(np, 0);
  s.send.assign(np, 0);
  for (Index v = 0; v < n; ++v) {
    const auto p = a[static_cast<std::size_t>(v)];
    MOEGNN_CHECK_AS(InvalidArgument, kStats, p >= 0 && p < num_parts, "owner of node ", v,
                    " out of range: ", p, " vs [0, ", num_parts, ")");
    ++s.nodes[static_cast<std::size_t>(p)];
  }
  for (const auto t : train.host()) ++s.train[static_cast<std::size_t>(a[static_cast<std::size_t>(t)])];
  // Visit the rows part by part; a node u is counted once in part p's halo: stamp[u] = p.
  std::vector<Index> start(np + 1, 0);
  for (Index p = 0; p < num_parts; ++p) start[static_cast<std::size_t>(p) + 1] = start[static_cast<std::size_t>(p)] + s.nodes[static_cast<std::size_t>(p)];
  std::vector<std::int32_t> by_part(static_cast<std::size_t>(n));
  std::vector<Index> fill(start.begin(), start.end() - 1);
  for (Index v = 0; v < n; ++v) {
    by_part[static_cast<std::size_t>(fill[static_cast<std::size_t>(a[static_cast<std::size_t>(v)])]++)] =
        static_cast<std::int32_t>(v);
  }
  std::vector<std::int32_t> stamp(static_cast<std::size_t>(n), -1);
  for (const auto v : by_part) {
    const auto p = a[static_cast<std::size_t>(v)];
    for (const auto u : graph.neighbors(v)) {
      const auto q = a[static_cast<std::size_t>(u)];
      if (q == p) continue;
      ++s.edge_cut;
      if (stamp[static_cast<std::size_t>(u)] != p) {
        stamp[static_cast<std::size_t>(u)] = p;
        ++s.halo[static_cast<std::size_t>(p)];
        ++s.send[static_cast<std::size_t>(q)];
      }
    }
  }
  s.halo_volume = std::accumulate(s.halo.begin(), s.halo.end(), std::int64_t{0});
  const auto imbalance = [&](const std::vector<Index>& per_part) {
    const Index total = std::accumulate(per_part.begin(), per_part.end(), Index{0});
    if (total == 0) return 0.0;
    const Index max = *std::max_element(per_part.begin(), per_part.end());
    return static_cast<double>(max) * static_cast<double>(num_parts) / static_cast<double>(total);
  };
  s.node_imbalance = imbalance(s.nodes);
  s.train_imbalance = imbalance(s.train);
  return s;
}

}  // namespace moegnn::dist
