// SPDX-License-Identifier: Apache-2.0
// R-MAT and uniform random graphs. Edge e draws from a private SplitMix stream keyed by
// Rng::bits(seed, e), so the edge list is a pure function of (options, e) and the parallel loop
// gives the same graph on any thread count; the builder (graph/builder.h) is deterministic too.
#include "graph/generators.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "core/error.h"
#include "core/parallel.h"
#include "core/rng.h"
#include "graph/builder.h"

namespace moegnn::graph {
namespace {

constexpr Index kMaxNodes = std::numeric_limits<NodeId>::max();
// Salts that separate the streams of one seed (edge draws, permutation).
constexpr std::uint64_t kEdgeSalt = 0x5a17c0ffee0ddba1ULL;
constexpr std::uint64_t kPermutationSalt = 0x3c6ef372fe94f82bULL;
// After this many rejected draws an edge folds its ids into range (only reachable with degenerate
// probabilities such as d = 1, where redrawing would never end).
constexpr int kMaxAttempts = 64;

// SplitMix64 stream for one edge.
struct EdgeStream {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

struct Quadrants {
  std::uint32_t a, ab, abc;  // cumulative thresholds scaled to 2^16
  int scale;                 // levels: ids drawn in [0, 2^scale)
  Index limit;               // num_nodes: draws at or beyond it are rejected
};

// One R-MAT draw of (src, dst) in [0, limit)^2, 16 random bits per level (probabilities resolved to
// 2^-16, four levels per 64-bit draw). Returns false as soon as a coordinate's leading bits exceed
// those of limit - 1, so rejected draws stop early.
bool rmat_draw(const Quadrants& q, EdgeStream& stream, Index& u, Index& v) {
  u = 0;
  v = 0;
  std::uint64_t bits = 0;
  const Index last = q.limit - 1;
  for (int level = 0; level < q.scale; ++level) {
    if (level % 4 == 0) bits = stream.next();
    const auto r = static_cast<std::uint32_t>(bits & 0xffffU);
    bits >>= 16;
    const int shift = q.scale - 1 - level;
    // Branch-free quadrant choice: [0, a) -> (0, 0), [a, ab) -> (0, 1), [ab, abc) -> (1, 0),
    // [abc, 2^16) -> (1, 1). Unpredictable branches here cost more than the arithmetic.
    const Index ge_a = r >= q.a;
    const Index ge_ab = r >= q.ab;
    const Index ge_abc = r >= q.abc;
    u |= ge_ab << shift;
    v |= ((ge_a & (1 - ge_ab)) | ge_abc) << shift;
    if ((u >> shift) > (last >> shift) || (v >> shift) > (last >> shift)) return false;
  }
  return true;
}

void check_shape(const char* function, Index num_nodes, EdgeId num_edges) {
  MOEGNN_CHECK_AS(InvalidArgument, function, num_nodes >= 0 && num_nodes <= kMaxNodes, "num_nodes ",
                  num_nodes, " vs [1, ", kMaxNodes, "]");
  MOEGNN_CHECK_AS(InvalidArgument, function, num_edges >= 0, "num_edges ", num_edges, " vs >= 0");
  MOEGNN_CHECK_AS(InvalidArgument, function, num_nodes > 0 || num_edges == 0, "num_nodes ",
                  num_nodes, " vs >= 1 when num_edges = ", num_edges, " > 0");
}

// A seeded random permutation of [0, n) (Fisher–Yates; serial, O(n)).
std::vector<NodeId> permutation(Index n, std::uint64_t seed) {
  std::vector<NodeId> p(static_cast<std::size_t>(n));
  std::iota(p.begin(), p.end(), 0);
  Rng rng(Rng::bits(seed, kPermutationSalt));
  for (Index i = n - 1; i > 0; --i)
    std::swap(p[i], p[static_cast<std::size_t>(rng.below(static_cast<std::uint64_t>(i) + 1))]);
  return p;
}

Csr build_graph(const std::vector<NodeId>& src, const std::vector<NodeId>& dst, Index num_nodes,
                bool symmetric, bool self_loops) {
  BuildOptions build;
  build.num_nodes = num_nodes;
  build.symmetric = symmetric;
  build.self_loops = self_loops ? SelfLoops::Add : SelfLoops::Remove;
  return from_coo(std::span<const NodeId>(src), std::span<const NodeId>(dst), {}, build);
}

}  // namespace

Csr rmat(const RmatOptions& o) {
  check_shape("rmat", o.num_nodes, o.num_edges);
  const double d = 1.0 - o.a - o.b - o.c;
  MOEGNN_CHECK(o.a >= 0 && o.b >= 0 && o.c >= 0 && d >= -1e-12, "probabilities a, b, c = ", o.a,
               ", ", o.b, ", ", o.c, " vs non-negative with a + b + c <= 1");
  const auto scaled = [](double p) {
    return static_cast<std::uint32_t>(std::min(65536.0, std::round(std::ldexp(p, 16))));
  };
  int scale = 0;
  while ((Index{1} << scale) < o.num_nodes) ++scale;
  const Quadrants q{scaled(o.a), scaled(o.a + o.b), scaled(o.a + o.b + o.c), scale, o.num_nodes};
  std::vector<NodeId> src(static_cast<std::size_t>(o.num_edges));
  std::vector<NodeId> dst(src.size());
  const std::uint64_t key = Rng::bits(o.seed, kEdgeSalt);
  const Index n = o.num_nodes;
  parallel_for(0, o.num_edges, [&](Index e) {
    EdgeStream stream{Rng::bits(key, static_cast<std::uint64_t>(e))};
    Index u = 0;
    Index v = 0;
    for (int attempt = 0; attempt < kMaxAttempts && !rmat_draw(q, stream, u, v); ++attempt) {
    }
    src[e] = static_cast<NodeId>(u % n);
    dst[e] = static_cast<NodeId>(v % n);
  }, 1 << 14);
  if (o.scramble && n > 1) {
    const std::vector<NodeId> p = permutation(n, o.seed);
    parallel_for(0, o.num_edges, [&](Index e) {
      src[e] = p[static_cast<std::size_t>(src[e])];
      dst[e] = p[static_cast<std::size_t>(dst[e])];
    }, 1 << 14);
  }
  return build_graph(src, dst, n, o.symmetric, o.self_loops);
}

Csr arxiv_scale_graph(std::uint64_t seed) {
  RmatOptions o;
  o.num_nodes = 169343;
  // Milder skew than the Graph500 defaults (a = 0.57 leaves 40 % of the nodes isolated at this
  // density; arXiv has none): max degree ~3.5K, ~20 % isolated. num_edges is tuned so that
  // symmetrisation, merging and one loop per node give 2.32M edges, ogbn-arxiv's symmetrised count.
  o.a = 0.5;
  o.b = 0.2;
  o.c = 0.2;
  o.num_edges = 1'080'000;
  o.seed = seed;
  return rmat(o);
}

Csr uniform_random_graph(Index num_nodes, EdgeId num_edges, bool symmetric, bool self_loops,
                         std::uint64_t seed) {
  check_shape("uniform_random_graph", num_nodes, num_edges);
  std::vector<NodeId> src(static_cast<std::size_t>(num_edges));
  std::vector<NodeId> dst(src.size());
  const std::uint64_t key = Rng::bits(seed, kEdgeSalt);
  const auto n = static_cast<std::uint64_t>(num_nodes);
  parallel_for(0, num_edges, [&](Index e) {
    const std::uint64_t bits = Rng::bits(key, static_cast<std::uint64_t>(e));
    // Multiply-shift on each 32-bit half: bias below n / 2^32, irrelevant for a test generator.
    src[e] = static_cast<NodeId>(((bits & 0xffffffffULL) * n) >> 32);
    dst[e] = static_cast<NodeId>(((bits >> 32) * n) >> 32);
  }, 1 << 14);
  return build_graph(src, dst, num_nodes, symmetric, self_loops);
}

}  // namespace moegnn::graph
