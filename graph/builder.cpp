// SPDX-License-Identifier: Apache-2.0
// COO -> Csr. A parallel stable counting sort by destination (fixed per-chunk histograms, so the
// scatter writes every edge to the same slot on any thread count), a per-row sort by source that
// keeps input order among equal sources, then detail::assemble_rows merges duplicates and applies the
// self-loop policy. Counting sort beats a comparison sort here: O(E + N) with one random write per
// edge, against O(E log E) for tbb::parallel_sort on packed (dst, src) keys.
#include "graph/builder.h"

#include <algorithm>
#include <limits>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/parallel.h"
#include "graph/detail/rows.h"
#include "graph/detail/scan.h"

namespace moegnn::graph {
namespace {

constexpr Index kMaxIds = std::numeric_limits<NodeId>::max();

// The edge list seen by the sort: edge e < E is (src[e], dst[e]); with `symmetric`, edge E + e is
// its reverse. Weights of reverse edges repeat the forward ones.
template <typename T>
struct EdgeSource {
  std::span<const T> src;
  std::span<const T> dst;
  std::span<const float> weight;
  Index forward = 0;  // E
  Index total = 0;    // E or 2E
  NodeId s(Index e) const { return static_cast<NodeId>(e < forward ? src[e] : dst[e - forward]); }
  NodeId d(Index e) const { return static_cast<NodeId>(e < forward ? dst[e] : src[e - forward]); }
  float w(Index e) const { return weight[static_cast<std::size_t>(e < forward ? e : e - forward)]; }
};

// Largest id in `ids` (-1 when empty).
template <typename T>
Index max_id(std::span<const T> ids) {
  return deterministic_reduce<Index>(
      0, static_cast<Index>(ids.size()), -1,
      [&](Index lo, Index hi) {
        Index m = -1;
        for (Index i = lo; i < hi; ++i) m = std::max<Index>(m, ids[i]);
        return m;
      },
      [](Index a, Index b) { return std::max(a, b); }, Index{1} << 16);
}

template <typename T>
void check_ids(std::span<const T> ids, Index limit, std::string_view name, std::string_view bound) {
  const auto n = static_cast<Index>(ids.size());
  const Index bad = detail::first_position(n, [&](Index i) { return ids[i] < 0 || ids[i] >= limit; });
  MOEGNN_CHECK_AS(InvalidArgument, "from_coo", bad == n, name, "[", bad, "] = ",
                  bad < n ? static_cast<Index>(ids[bad]) : 0, " out of range vs [0, ", limit,
                  ") (", bound, ")");
}

// Fills options.num_nodes / num_src_nodes (inferring where -1) and validates ids and counts.
template <typename T>
BuildOptions resolve(std::span<const T> src, std::span<const T> dst, std::span<const float> weight,
                     BuildOptions o) {
  MOEGNN_CHECK_AS(InvalidArgument, "from_coo", src.size() == dst.size(), "src has ", src.size(),
                  " ids vs dst ", dst.size());
  MOEGNN_CHECK_AS(InvalidArgument, "from_coo", weight.empty() || weight.size() == src.size(),
                  "edge_weight has ", weight.size(), " values vs ", src.size(),
                  " edges; pass one weight per edge or none");
  MOEGNN_CHECK_AS(InvalidArgument, "from_coo", o.num_nodes >= -1 && o.num_nodes <= kMaxIds,
                  "num_nodes ", o.num_nodes, " vs [0, ", kMaxIds, "] or -1 to infer");
  MOEGNN_CHECK_AS(InvalidArgument, "from_coo", o.num_src_nodes >= -1 && o.num_src_nodes <= kMaxIds,
                  "num_src_nodes ", o.num_src_nodes, " vs [0, ", kMaxIds, "] or -1 for square");
  const bool square = o.num_src_nodes == -1;
  if (o.num_nodes == -1) {
    // Negative ids are reported by check_ids below, so clamp the inferred count at 0 here.
    const Index m = square ? std::max(max_id(src), max_id(dst)) : max_id(dst);
    MOEGNN_CHECK_AS(InvalidArgument, "from_coo", m < kMaxIds, "largest id ", m,
                    " vs the int32 id range [0, ", kMaxIds, ")");
    o.num_nodes = std::max<Index>(m + 1, 0);
  }
  if (square) o.num_src_nodes = o.num_nodes;
  check_ids(src, o.num_src_nodes, "src", "num_src_nodes");
  check_ids(dst, o.num_nodes, "dst", "num_nodes");
  const bool is_square = o.num_nodes == o.num_src_nodes;
  MOEGNN_CHECK_AS(InvalidArgument, "from_coo", is_square || !o.symmetric, "symmetric needs a square graph: ",
                  o.num_nodes, " × ", o.num_src_nodes, " vs num_nodes == num_src_nodes");
  MOEGNN_CHECK_AS(InvalidArgument, "from_coo", is_square || o.self_loops == SelfLoops::Keep,
                  "self-loop policy needs a square graph: ", o.num_nodes, " × ", o.num_src_nodes,
                  " vs num_nodes == num_src_nodes");
  return o;
}

// Stable counting sort by destination. Returns raw offsets (num_rows + 1); fills col (and val when
// weighted). Chunk histograms are laid out [chunk][row]; any chunk count gives the same output.
template <typename T>
std::vector<EdgeId> sort_by_destination(const EdgeSource<T>& edges, Index num_rows,
                                        std::vector<NodeId>& col, std::vector<float>& val) {
  const Index total = edges.total;
  const Index by_threads = std::max(1, num_threads());
  const Index by_size = std::max<Index>(1, total >> 15);
  const Index by_memory = std::max<Index>(1, (Index{1} << 23) / (num_rows + 1));
  const Index chunks = std::min({by_threads, by_size, by_memory});
  const Index chunk_len = (total + chunks - 1) / std::max<Index>(chunks, 1);
  const auto rows = static_cast<std::size_t>(num_rows);
  std::vector<EdgeId> hist(static_cast<std::size_t>(chunks) * rows, 0);
  // 1. Histograms per chunk.
  parallel_for(0, chunks, [&](Index c) {
    EdgeId* h = hist.data() + c * num_rows;
    const Index hi = std::min(total, (c + 1) * chunk_len);
    for (Index e = c * chunk_len; e < hi; ++e) ++h[edges.d(e)];
  }, 1);
  // 2. Row offsets, and each chunk's start inside each row (chunks in order keep the sort stable).
  std::vector<EdgeId> ptr(rows + 1, 0);
  parallel_for(0, num_rows, [&](Index r) {
    EdgeId run = 0;
    for (Index c = 0; c < chunks; ++c) {
      const EdgeId count = hist[c * num_rows + r];
      hist[c * num_rows + r] = run;
      run += count;
    }
    ptr[r + 1] = run;
  }, 4096);
  detail::counts_to_offsets(ptr.data(), num_rows);
  // 3. Scatter.
  const bool weighted = !edges.weight.empty();
  col.resize(static_cast<std::size_t>(total));
  if (weighted) val.resize(static_cast<std::size_t>(total));
  parallel_for(0, chunks, [&](Index c) {
    EdgeId* h = hist.data() + c * num_rows;
    const Index hi = std::min(total, (c + 1) * chunk_len);
    for (Index e = c * chunk_len; e < hi; ++e) {
      const NodeId d = edges.d(e);
      const EdgeId slot = ptr[d] + h[d]++;
      col[slot] = edges.s(e);
      if (weighted) val[slot] = edges.w(e);
    }
  }, 1);
  return ptr;
}

// Sorts one weighted row by column, keeping input order among equal columns (KeepFirst and the
// summation order depend on it). Short rows: insertion sort; long rows: packed (col, position) keys.
void sort_weighted_row(NodeId* col, float* val, EdgeId len, std::vector<std::uint64_t>& keys,
                       std::vector<float>& scratch) {
  if (len <= 32) {
    for (EdgeId i = 1; i < len; ++i) {
      const NodeId c = col[i];
      const float v = val[i];
      EdgeId j = i;
      for (; j > 0 && col[j - 1] > c; --j) {
        col[j] = col[j - 1];
        val[j] = val[j - 1];
      }
      col[j] = c;
      val[j] = v;
    }
    return;
  }
  keys.resize(static_cast<std::size_t>(len));
  scratch.assign(val, val + len);
  // Positions below 2^32 fit beside the column; a longer row would need > 16 GiB for itself alone.
  MOEGNN_ASSERT(len < (EdgeId{1} << 32));
  for (EdgeId i = 0; i < len; ++i)
    keys[i] = (static_cast<std::uint64_t>(col[i]) << 32) | static_cast<std::uint64_t>(i);
  std::sort(keys.begin(), keys.end());
  for (EdgeId i = 0; i < len; ++i) {
    col[i] = static_cast<NodeId>(keys[i] >> 32);
    val[i] = scratch[keys[i] & 0xffffffffULL];
  }
}

void sort_rows(const std::vector<EdgeId>& ptr, std::vector<NodeId>& col, std::vector<float>& val) {
  const auto rows = static_cast<Index>(ptr.size()) - 1;
  const bool weighted = !val.empty();
  parallel_for_range(0, rows, [&](Index lo, Index hi) {
    std::vector<std::uint64_t> keys;
    std::vector<float> scratch;
    for (Index r = lo; r < hi; ++r) {
      if (weighted)
        sort_weighted_row(col.data() + ptr[r], val.data() + ptr[r], ptr[r + 1] - ptr[r], keys,
                          scratch);
      else
        std::sort(col.data() + ptr[r], col.data() + ptr[r + 1]);
    }
  }, 1024);
}

template <typename T>
Csr build(std::span<const T> src, std::span<const T> dst, std::span<const float> weight,
          const BuildOptions& options) {
  // 1. Validate and settle the shape.
  const BuildOptions o = resolve(src, dst, weight, options);
  const auto forward = static_cast<Index>(src.size());
  const EdgeSource<T> edges{src, dst, weight, forward, o.symmetric ? 2 * forward : forward};
  // 2. Sort by (dst, src), stable.
  std::vector<NodeId> col;
  std::vector<float> val;
  const std::vector<EdgeId> ptr = sort_by_destination(edges, o.num_nodes, col, val);
  sort_rows(ptr, col, val);
  // 3. Merge duplicates, apply the loop policy, write the Csr.
  const detail::RowSegments rows{o.num_nodes, o.num_src_nodes, ptr.data(), col.data(),
                                 weight.empty() ? nullptr : val.data()};
  return detail::assemble_rows(rows, o.duplicates, o.self_loops, o.self_loop_value);
}

std::span<const float> weight_span(const Tensor& w) {
  if (w.empty()) return {};
  MOEGNN_CHECK_AS(InvalidArgument, "from_coo", w.cols() == 1, "edge_weight is ", w.shape_string(),
                  " vs E × 1");
  MOEGNN_CHECK_AS(InvalidArgument, "from_coo", w.device() == Device::Cpu, "edge_weight is on ",
                  to_string(w.device()), " vs cpu; call .to(Device::Cpu) first");
  return {w.data(), static_cast<std::size_t>(w.rows())};
}

}  // namespace

Csr from_coo(std::span<const std::int32_t> src, std::span<const std::int32_t> dst,
             std::span<const float> edge_weight, const BuildOptions& options) {
  return build(src, dst, edge_weight, options);
}

Csr from_coo(std::span<const std::int64_t> src, std::span<const std::int64_t> dst,
             std::span<const float> edge_weight, const BuildOptions& options) {
  return build(src, dst, edge_weight, options);
}

Csr from_coo(const std::vector<std::int32_t>& src, const std::vector<std::int32_t>& dst,
             const std::vector<float>& edge_weight, const BuildOptions& options) {
  return build(std::span<const std::int32_t>(src), std::span<const std::int32_t>(dst),
               std::span<const float>(edge_weight), options);
}

Csr from_coo(const std::vector<std::int64_t>& src, const std::vector<std::int64_t>& dst,
             const std::vector<float>& edge_weight, const BuildOptions& options) {
  return build(std::span<const std::int64_t>(src), std::span<const std::int64_t>(dst),
               std::span<const float>(edge_weight), options);
}

Csr from_coo(const NodeIds& src, const NodeIds& dst, const Tensor& edge_weight,
             const BuildOptions& options) {
  return build(src.host(), dst.host(), weight_span(edge_weight), options);
}

Csr from_coo(const EdgeIds& src, const EdgeIds& dst, const Tensor& edge_weight,
             const BuildOptions& options) {
  return build(src.host(), dst.host(), weight_span(edge_weight), options);
}

}  // namespace moegnn::graph
