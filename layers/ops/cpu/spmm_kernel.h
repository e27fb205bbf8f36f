// SPDX-License-Identifier: Apache-2.0
// The templated CPU SpMM kernels, private to layers/ops. cpu/spmm.cpp instantiates them with the
// graph's int32 column ids; bench/layers/ops/spmm_bench.cpp also instantiates them with int64 ids
// to measure what the index width costs (the one use outside the module, benchmark-only). Edge
// weights come from small structs called per edge and inlined, so the hot loops hold no indirect
// calls. Sum/Mean keep a row's partial sums in a fixed-width register tile (128 floats at most) and
// prefetch the x rows a few edges ahead; each output row is written by one serial loop, so results
// are bit-identical for any chunking and thread count.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <type_traits>
#include <vector>

#include "core/error.h"
#include "graph/types.h"
#include "layers/ops/cpu/vector_math.h"
#include "layers/ops/detail/row_chunks.h"

namespace moegnn::ops::cpu {

// Weight of edge k for head h (the struct is the kernel's template argument).
struct UnitWeight {
  float operator()(graph::EdgeId /*k*/, Index /*h*/) const { return 1.0f; }
};
struct DirectWeight {  // w is nnz × heads, in this graph's edge order
  const float* w;
  Index heads;
  float operator()(graph::EdgeId k, Index h) const { return w[k * heads + h]; }
};
struct PermutedWeight {  // w is in another graph's edge order: edge k reads row perm[k]
  const float* w;
  const graph::EdgeId* perm;
  Index heads;
  float operator()(graph::EdgeId k, Index h) const { return w[perm[k] * heads + h]; }
};
template <typename Weight, typename Col>
struct ColumnScaledWeight {  // weight(k, h) · scale[col_idx[k]] (mean backward over a transpose)
  Weight weight;
  const float* scale;
  const Col* col_idx;
  float operator()(graph::EdgeId k, Index h) const {
    return weight(k, h) * scale[static_cast<Index>(col_idx[k])];
  }
};

// One SpMM over raw CPU arrays; validated by the caller.
template <typename Col>
struct SpmmProblem {
  Index num_rows = 0;
  const graph::EdgeId* row_ptr = nullptr;  // num_rows + 1
  const Col* col_idx = nullptr;            // nnz
  const float* x = nullptr;                // num_cols × width, row-major
  Index width = 0;
  Index heads = 1;          // head h of a row covers columns [h·width/heads, (h+1)·width/heads)
  float* out = nullptr;     // num_rows × width
  bool mean = false;        // scale row i by 1 / deg(i) (empty rows stay 0)
  bool accumulate = false;  // out += result instead of out = result
  Index column_block = 0;   // columns per pass over the graph (heads == 1); 0: auto_column_block
  Index x_rows = 0;         // rows of x (the graph's num_cols); 0: unknown, one pass
};

// Bytes of the last-level cache: sysconf, else /sys (cpu0, index3), else 32 MiB. Read once.
inline std::size_t last_level_cache_bytes() {
  static const std::size_t bytes = [] {
    const long l3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
    if (l3 > 0) return static_cast<std::size_t>(l3);
    std::ifstream in("/sys/devices/system/cpu/cpu0/cache/index3/size");
    std::string text;
    if (in >> text && !text.empty()) {
      const std::size_t value = std::stoull(text);
      const char unit = text.back();
      if (unit == 'K') return value << 10;
      if (unit == 'M') return value << 20;
      if (value > 0) return value;
    }
    return std::size_t{32} << 20;
  }();
  return bytes;
}

// Feature-dimension blocking: columns per pass over the graph such that one pass's slice of x
// (x_rows × block floats, gathered once per edge) fits `cache_bytes` (the last-level cache), so
// that the slice can stay cache-resident across the pass where the whole of x would not. Passes are
// as even as whole cache lines allow (block a multiple of kLanes) and at least kMinColumnBlock
// wide: narrower gathers cost more per edge than the reuse saves (on a 32 MiB L3, blocks of 16
// were 1.35x slower than one pass). The budget is the whole cache, not half: with half of a
// 260 MiB L3, F = 256 on the arxiv-scale graph (x: 173 MB) ran as two passes of 128 and took
// 1.2x the time of one pass, since x fitted anyway. Returns width (one pass) when x fits or x_rows
// is unknown (0).
inline constexpr Index kMinColumnBlock = 2 * kLanes;
constexpr Index auto_column_block(Index x_rows, Index width, std::size_t cache_bytes) {
  if (x_rows <= 0 || width <= kMinColumnBlock) return width;
  const auto fit =
      static_cast<Index>(cache_bytes / (static_cast<std::size_t>(x_rows) * sizeof(float)));
  if (fit >= width) return width;
  const Index lines = std::max(kMinColumnBlock, fit / kLanes * kLanes);
  const Index passes = (width + lines - 1) / lines;
  const Index even = (width + passes - 1) / passes;
  return std::min(width, (even + kLanes - 1) / kLanes * kLanes);
}

// How far ahead x rows are prefetched: about kPrefetchLines cache lines ahead per thread, at most
// 64 edges, i.e. 64 edges of 128-float rows and 32 of 256-float ones (tuned on the arxiv-scale
// graph with x in huge pages, the register-tile kernel: 128 and 256 lines were 5-10 % slower at
// F = 128; prefetching into L2 rather than L1 (prefetcht0) was up to 1.4x faster at F = 256).
inline constexpr Index kPrefetchLines = 512;
constexpr graph::EdgeId prefetch_distance(Index row_floats) {
  const Index lines = std::max<Index>((row_floats + kLanes - 1) / kLanes, 1);
  return std::clamp<Index>(kPrefetchLines / lines, 8, 64);
}

// Outputs at least this large are written with non-temporal stores (see spmm_sum_kernel).
inline constexpr Index kStreamOutputBytes = Index{8} << 20;

namespace kernel_detail {

// Calls tile(std::integral_constant<int, W>{}, f) over [f_begin, f_end): W = 128 while it fits,
// then at most one each of 64, 32 and 16; then tail(f) for the last (< 16) columns. (A 256-float
// tile, 16 of AVX-512's 32 registers, was 1.3x slower at F = 256 than two passes of 128.)
template <typename Tile, typename Tail>
inline void for_each_tile(Index f_begin, Index f_end, Tile&& tile, Tail&& tail) {
  Index f = f_begin;
  for (; f + 128 <= f_end; f += 128) tile(std::integral_constant<int, 128>{}, f);
  if (f + 64 <= f_end) {
    tile(std::integral_constant<int, 64>{}, f);
    f += 64;
  }
  if (f + 32 <= f_end) {
    tile(std::integral_constant<int, 32>{}, f);
    f += 32;
  }
  if (f + 16 <= f_end) {
    tile(std::integral_constant<int, 16>{}, f);
    f += 16;
  }
  if (f < f_end) tail(f);
}

// Columns [f0, f0 + kTile) of one row, kTile a multiple of kLanes: the partial sums stay in
// kTile / kLanes vector registers. `stream`: write aligned output with non-temporal stores.
template <int kTile, typename Col, typename Weight>
inline void sum_tile(const SpmmProblem<Col>& p, const Weight& weight, graph::EdgeId begin,
                     graph::EdgeId end, graph::EdgeId edge_limit, Index f0, float scale,
                     bool stream, float* out_row) {
  static_assert(kTile % kLanes == 0);
  constexpr int kVecs = kTile / kLanes;
  constexpr graph::EdgeId kAhead = prefetch_distance(kTile);
  Vec acc[kVecs];
#pragma GCC unroll 8
  for (int j = 0; j < kVecs; ++j) acc[j] = Vec{};
  const float* x = p.x + f0;
  for (graph::EdgeId k = begin; k < end; ++k) {
    if (k + kAhead < edge_limit)
      prefetch_floats(x + static_cast<Index>(p.col_idx[k + kAhead]) * p.width, kTile);
    const float* xr = x + static_cast<Index>(p.col_idx[k]) * p.width;
    const float w = weight(k, 0);
#pragma GCC unroll 8
    for (int j = 0; j < kVecs; ++j) acc[j] += w * load_vec(xr + j * kLanes);
  }
  float* o = out_row + f0;
  if (p.accumulate) {
#pragma GCC unroll 8
    for (int j = 0; j < kVecs; ++j)
      store_vec(o + j * kLanes, load_vec(o + j * kLanes) + scale * acc[j]);
    return;
  }
  if (stream && is_aligned(o)) {
#pragma GCC unroll 8
    for (int j = 0; j < kVecs; ++j) store_streaming(o + j * kLanes, acc[j] * scale);
    return;
  }
#pragma GCC unroll 8
  for (int j = 0; j < kVecs; ++j) store_vec(o + j * kLanes, acc[j] * scale);
}

// The last `count` < kLanes columns [f0, f0 + count) of one row (scalar partial sums).
template <typename Col, typename Weight>
inline void sum_tail(const SpmmProblem<Col>& p, const Weight& weight, graph::EdgeId begin,
                     graph::EdgeId end, graph::EdgeId edge_limit, Index f0, Index count,
                     float scale, float* out_row) {
  constexpr graph::EdgeId kAhead = prefetch_distance(kLanes);
  float acc[kLanes] = {};
  const float* x = p.x + f0;
  for (graph::EdgeId k = begin; k < end; ++k) {
    if (k + kAhead < edge_limit)
      prefetch_floats(x + static_cast<Index>(p.col_idx[k + kAhead]) * p.width, count);
    const float* xr = x + static_cast<Index>(p.col_idx[k]) * p.width;
    const float w = weight(k, 0);
    for (Index t = 0; t < count; ++t) acc[t] += w * xr[t];
  }
  float* o = out_row + f0;
  if (p.accumulate) {
    for (Index t = 0; t < count; ++t) o[t] += scale * acc[t];
    return;
  }
  for (Index t = 0; t < count; ++t) o[t] = scale * acc[t];
}

template <typename Col>
inline float row_scale(const SpmmProblem<Col>& p, graph::EdgeId begin, graph::EdgeId end) {
  return p.mean && end > begin ? 1.0f / static_cast<float>(end - begin) : 1.0f;
}

// heads == 1, columns [f_begin, f_end) of rows [lo, hi).
template <typename Col, typename Weight>
void sum_rows_one_head(const SpmmProblem<Col>& p, const Weight& weight, Index lo, Index hi,
                       Index f_begin, Index f_end, bool stream) {
  const graph::EdgeId edge_limit = p.row_ptr[hi];
  for (Index i = lo; i < hi; ++i) {
    const graph::EdgeId b = p.row_ptr[i];
    const graph::EdgeId e = p.row_ptr[i + 1];
    const float scale = row_scale(p, b, e);
    float* o = p.out + i * p.width;
    for_each_tile(
        f_begin, f_end,
        [&](auto tile, Index f) {
          sum_tile<decltype(tile)::value>(p, weight, b, e, edge_limit, f, scale, stream, o);
        },
        [&](Index f) { sum_tail(p, weight, b, e, edge_limit, f, f_end - f, scale, o); });
  }
}

// Max over columns [f0, f0 + n) of a non-empty row (n as in sum_tile); `won` gets the winning
// edge's offset in the row. Ties keep the first edge.
template <int kTile, bool kFull, bool kTrackArg, typename Col, typename Weight>
inline void max_tile(const SpmmProblem<Col>& p, const Weight& weight, graph::EdgeId begin,
                     graph::EdgeId end, graph::EdgeId edge_limit, Index f0, Index count,
                     float* out_row, std::int32_t* arg_row) {
  const Index n = kFull ? kTile : count;
  constexpr graph::EdgeId kAhead = prefetch_distance(kTile);
  float best[kTile];
  std::int32_t won[kTile];
  const float* x = p.x + f0;
  const float* first = x + static_cast<Index>(p.col_idx[begin]) * p.width;
  const float w0 = weight(begin, 0);
  for (Index t = 0; t < n; ++t) {
    best[t] = w0 * first[t];
    won[t] = 0;
  }
  for (graph::EdgeId k = begin + 1; k < end; ++k) {
    if (k + kAhead < edge_limit)
      prefetch_floats(x + static_cast<Index>(p.col_idx[k + kAhead]) * p.width, n);
    const float* xr = x + static_cast<Index>(p.col_idx[k]) * p.width;
    const float w = weight(k, 0);
    const auto local = static_cast<std::int32_t>(k - begin);
    for (Index t = 0; t < n; ++t) {
      const float v = w * xr[t];
      const bool take = v > best[t];
      best[t] = take ? v : best[t];
      if constexpr (kTrackArg) won[t] = take ? local : won[t];
    }
  }
  for (Index t = 0; t < n; ++t) out_row[f0 + t] = best[t];
  if constexpr (kTrackArg) {
    for (Index t = 0; t < n; ++t) arg_row[f0 + t] = won[t];
  }
}

// heads == 1: register tiles as in sum_rows_one_head; empty rows get 0 (and arg -1).
template <bool kTrackArg, typename Col, typename Weight>
void max_rows_one_head(const SpmmProblem<Col>& p, const Weight& weight, std::int32_t* arg, Index lo,
                       Index hi) {
  const graph::EdgeId edge_limit = p.row_ptr[hi];
  for (Index i = lo; i < hi; ++i) {
    const graph::EdgeId b = p.row_ptr[i];
    const graph::EdgeId e = p.row_ptr[i + 1];
    float* o = p.out + i * p.width;
    std::int32_t* a = kTrackArg ? arg + i * p.width : nullptr;
    if (b == e) {
      for (Index f = 0; f < p.width; ++f) o[f] = 0.0f;
      if constexpr (kTrackArg) {
        for (Index f = 0; f < p.width; ++f) a[f] = -1;
      }
      continue;
    }
    for_each_tile(
        0, p.width,
        [&](auto tile, Index f) {
          max_tile<decltype(tile)::value, true, kTrackArg>(p, weight, b, e, edge_limit, f, 0, o, a);
        },
        [&](Index f) {
          max_tile<kLanes, false, kTrackArg>(p, weight, b, e, edge_limit, f, p.width - f, o, a);
        });
  }
}

// heads > 1: a row buffer (L1-resident) accumulates head by head.
template <typename Col, typename Weight>
void sum_rows_heads(const SpmmProblem<Col>& p, const Weight& weight, Index lo, Index hi) {
  const Index channels = p.width / p.heads;
  const graph::EdgeId edge_limit = p.row_ptr[hi];
  const graph::EdgeId ahead = prefetch_distance(p.width);
  std::vector<float> buffer(static_cast<std::size_t>(p.width));
  float* acc = buffer.data();
  for (Index i = lo; i < hi; ++i) {
    const graph::EdgeId b = p.row_ptr[i];
    const graph::EdgeId e = p.row_ptr[i + 1];
    for (Index f = 0; f < p.width; ++f) acc[f] = 0.0f;
    for (graph::EdgeId k = b; k < e; ++k) {
      if (k + ahead < edge_limit)
        prefetch_floats(p.x + static_cast<Index>(p.col_idx[k + ahead]) * p.width, p.width);
      const float* xr = p.x + static_cast<Index>(p.col_idx[k]) * p.width;
      for (Index h = 0; h < p.heads; ++h) {
        const float w = weight(k, h);
        float* ah = acc + h * channels;
        const float* xh = xr + h * channels;
        for (Index c = 0; c < channels; ++c) ah[c] += w * xh[c];
      }
    }
    const float scale = row_scale(p, b, e);
    float* o = p.out + i * p.width;
    for (Index f = 0; f < p.width; ++f) o[f] = (p.accumulate ? o[f] : 0.0f) + scale * acc[f];
  }
}

// heads > 1: max over a row's edges per column, in the output row (L1-resident); arg (when
// kTrackArg) gets the winner's offset in the row.
template <bool kTrackArg, typename Col, typename Weight>
void max_rows(const SpmmProblem<Col>& p, const Weight& weight, std::int32_t* arg, Index lo,
              Index hi) {
  const Index channels = p.width / p.heads;
  const graph::EdgeId ahead = prefetch_distance(p.width);
  for (Index i = lo; i < hi; ++i) {
    const graph::EdgeId b = p.row_ptr[i];
    const graph::EdgeId e = p.row_ptr[i + 1];
    float* o = p.out + i * p.width;
    std::int32_t* a = kTrackArg ? arg + i * p.width : nullptr;
    const std::int32_t first = b == e ? -1 : 0;
    for (Index f = 0; f < p.width; ++f) o[f] = 0.0f;
    if constexpr (kTrackArg) {
      for (Index f = 0; f < p.width; ++f) a[f] = first;
    }
    for (graph::EdgeId k = b; k < e; ++k) {
      if (k + ahead < e)
        prefetch_floats(p.x + static_cast<Index>(p.col_idx[k + ahead]) * p.width, p.width);
      const float* xr = p.x + static_cast<Index>(p.col_idx[k]) * p.width;
      const auto local = static_cast<std::int32_t>(k - b);
      for (Index h = 0; h < p.heads; ++h) {
        const float w = weight(k, h);
        float* oh = o + h * channels;
        const float* xh = xr + h * channels;
        std::int32_t* ah = kTrackArg ? a + h * channels : nullptr;
        for (Index c = 0; c < channels; ++c) {
          const float v = w * xh[c];
          const bool take = k == b || v > oh[c];  // ties keep the first edge
          oh[c] = take ? v : oh[c];
          if constexpr (kTrackArg) ah[c] = take ? local : ah[c];
        }
      }
    }
  }
}

}  // namespace kernel_detail

// out[i] = scale_i · Σ_{k in row i} weight(k, h) · x[col_idx[k]] (per head h); see SpmmProblem.
template <typename Col, typename Weight>
void spmm_sum_kernel(const SpmmProblem<Col>& p, const Weight& weight) {
  MOEGNN_ASSERT(p.heads >= 1 && p.width % p.heads == 0);
  if (p.heads != 1) {
    detail::parallel_over_rows(p.row_ptr, p.num_rows, p.width, [&](Index lo, Index hi) {
      kernel_detail::sum_rows_heads(p, weight, lo, hi);
    });
    return;
  }
  // One pass over the graph per block of columns: a pass gathers from a num_cols × block slice of
  // x, sized from the last-level cache and F (auto_column_block) unless the caller fixed it. Every
  // output element still sums its row's edges in order, so the result does not depend on the block.
  const Index block =
      p.column_block > 0
          ? p.column_block
          : std::max<Index>(auto_column_block(p.x_rows, p.width, last_level_cache_bytes()), 1);
  // An output larger than the cache will not be read from it either: stream it to memory, which
  // saves reading each line before it is overwritten (a third of the compulsory traffic at F =
  // 128).
  const bool stream = !p.accumulate && p.num_rows * p.width * static_cast<Index>(sizeof(float)) >=
                                           kStreamOutputBytes;
  for (Index f0 = 0; f0 < p.width; f0 += block) {
    const Index f1 = std::min(p.width, f0 + block);
    detail::parallel_over_rows(p.row_ptr, p.num_rows, f1 - f0, [&](Index lo, Index hi) {
      kernel_detail::sum_rows_one_head(p, weight, lo, hi, f0, f1, stream);
      if (stream) streaming_fence();  // order the chunk's streamed stores before the loop joins
    });
  }
}

// out[i, f] = max_{k in row i} weight(k, h(f)) · x[col_idx[k], f], 0 for empty rows. When
// kTrackArg, arg (num_rows × width) receives k - row_ptr[i] of the first maximal edge, -1 for empty
// rows. Row lengths must fit int32 (checked by the caller). p.accumulate is ignored.
template <bool kTrackArg, typename Col, typename Weight>
void spmm_max_kernel(const SpmmProblem<Col>& p, const Weight& weight, std::int32_t* arg) {
  MOEGNN_ASSERT(p.heads >= 1 && p.width % p.heads == 0);
  detail::parallel_over_rows(p.row_ptr, p.num_rows, p.width, [&](Index lo, Index hi) {
    if (p.heads == 1)
      kernel_detail::max_rows_one_head<kTrackArg>(p, weight, arg, lo, hi);
    else
      kernel_detail::max_rows<kTrackArg>(p, weight, arg, lo, hi);
  });
}

}  // namespace moegnn::ops::cpu
