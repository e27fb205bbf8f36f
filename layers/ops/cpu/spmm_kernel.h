// SPDX-License-Identifier: Apache-2.0
// The templated CPU SpMM kernels, private to layers/ops. cpu/spmm.cpp instantiates them with the
// graph's int32 column ids; bench/layers/ops/spmm_bench.cpp also instantiates them with int64 ids to
// measure what the index width costs (the one use outside the module, benchmark-only). Edge weights
// come from small structs called per edge and inlined, so the hot loops hold no indirect calls.
// Sum/Mean keep a row's partial sums in a fixed-width register tile (128 floats at most) and prefetch
// the x rows a few edges ahead; each output row is written by one serial loop, so results are
// bit-identical for any chunking and thread count.
#pragma once

#include <algorithm>
#include <cstdint>
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
  Index heads = 1;             // head h of a row covers columns [h·width/heads, (h+1)·width/heads)
  float* out = nullptr;        // num_rows × width
  bool mean = false;           // scale row i by 1 / deg(i) (empty rows stay 0)
  bool accumulate = false;     // out += result instead of out = result
  Index num_cols = 0;          // rows of x (sizes the column passes)
  Index column_block = 0;      // columns per pass over the graph; 0 picks one (heads == 1 only)
};

// How many edges ahead the x rows are prefetched: enough to cover DRAM latency at ~10 ns per edge.
inline constexpr graph::EdgeId kPrefetchDistance = 8;

// Columns per pass of spmm_sum_kernel: all of them while x fits kColumnPassBytes, otherwise the
// widest multiple of 16 whose slice of x does (at least 16).
inline constexpr Index kColumnPassBytes = Index{1} << 62;
inline Index column_block_for(Index num_cols, Index width) {
  const Index row_bytes = std::max<Index>(num_cols, 1) * static_cast<Index>(sizeof(float));
  if (row_bytes * width <= kColumnPassBytes) return std::max<Index>(width, 1);
  return std::max<Index>(kColumnPassBytes / row_bytes / kLanes * kLanes, kLanes);
}

namespace kernel_detail {

template <int kTile, typename Col, typename Weight>
inline void sum_tile(const SpmmProblem<Col>& p, const Weight& weight, graph::EdgeId begin,
                     graph::EdgeId end, graph::EdgeId edge_limit, Index f0, float scale,
                     float* out_row) {
  float acc[kTile] = {};
  const float* x = p.x + f0;
  for (graph::EdgeId k = begin; k < end; ++k) {
    if (k + kPrefetchDistance < edge_limit)
      prefetch_floats(x + static_cast<Index>(p.col_idx[k + kPrefetchDistance]) * p.width, kTile);
    const float* xr = x + static_cast<Index>(p.col_idx[k]) * p.width;
    const float w = weight(k, 0);
    for (int t = 0; t < kTile; ++t) acc[t] += w * xr[t];
  }
  float* o = out_row + f0;
  if (p.accumulate) {
    for (int t = 0; t < kTile; ++t) o[t] += scale * acc[t];
  } else {
    for (int t = 0; t < kTile; ++t) o[t] = scale * acc[t];
  }
}

// Columns [f0, f1) with f1 - f0 < kLanes.
template <typename Col, typename Weight>
inline void sum_tail(const SpmmProblem<Col>& p, const Weight& weight, graph::EdgeId begin,
                     graph::EdgeId end, Index f0, Index f1, float scale, float* out_row) {
  const Index n = f1 - f0;
  float acc[kLanes] = {};
  for (graph::EdgeId k = begin; k < end; ++k) {
    const float* xr = p.x + static_cast<Index>(p.col_idx[k]) * p.width + f0;
    const float w = weight(k, 0);
    for (Index t = 0; t < n; ++t) acc[t] += w * xr[t];
  }
  float* o = out_row + f0;
  for (Index t = 0; t < n; ++t) o[t] = (p.accumulate ? o[t] : 0.0f) + scale * acc[t];
}

template <typename Col>
inline float row_scale(const SpmmProblem<Col>& p, graph::EdgeId begin, graph::EdgeId end) {
  return p.mean && end > begin ? 1.0f / static_cast<float>(end - begin) : 1.0f;
}

// heads == 1, columns [f_begin, f_end) of rows [lo, hi): register tiles of 128, 64, 32 and 16
// columns, then the tail.
template <typename Col, typename Weight>
void sum_rows_one_head(const SpmmProblem<Col>& p, const Weight& weight, Index lo, Index hi,
                       Index f_begin, Index f_end) {
  const graph::EdgeId edge_limit = p.row_ptr[hi];
  for (Index i = lo; i < hi; ++i) {
    const graph::EdgeId b = p.row_ptr[i];
    const graph::EdgeId e = p.row_ptr[i + 1];
    const float scale = row_scale(p, b, e);
    float* o = p.out + i * p.width;
    Index f = f_begin;
    for (; f + 128 <= f_end; f += 128) sum_tile<128>(p, weight, b, e, edge_limit, f, scale, o);
    if (f + 64 <= f_end) {
      sum_tile<64>(p, weight, b, e, edge_limit, f, scale, o);
      f += 64;
    }
    if (f + 32 <= f_end) {
      sum_tile<32>(p, weight, b, e, edge_limit, f, scale, o);
      f += 32;
    }
    if (f + 16 <= f_end) {
      sum_tile<16>(p, weight, b, e, edge_limit, f, scale, o);
      f += 16;
    }
    if (f < f_end) sum_tail(p, weight, b, e, f, f_end, scale, o);
  }
}

// heads > 1: a row buffer (L1-resident) accumulates head by head.
template <typename Col, typename Weight>
void sum_rows_heads(const SpmmProblem<Col>& p, const Weight& weight, Index lo, Index hi) {
  const Index channels = p.width / p.heads;
  const graph::EdgeId edge_limit = p.row_ptr[hi];
  std::vector<float> buffer(static_cast<std::size_t>(p.width));
  float* acc = buffer.data();
  for (Index i = lo; i < hi; ++i) {
    const graph::EdgeId b = p.row_ptr[i];
    const graph::EdgeId e = p.row_ptr[i + 1];
    for (Index f = 0; f < p.width; ++f) acc[f] = 0.0f;
    for (graph::EdgeId k = b; k < e; ++k) {
      if (k + kPrefetchDistance < edge_limit)
        prefetch_floats(p.x + static_cast<Index>(p.col_idx[k + kPrefetchDistance]) * p.width,
                        p.width);
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

// Max over a row's edges per column; arg (when kTrackArg) gets the winner's offset in the row.
template <bool kTrackArg, typename Col, typename Weight>
void max_rows(const SpmmProblem<Col>& p, const Weight& weight, std::int32_t* arg, Index lo,
              Index hi) {
  const Index channels = p.width / p.heads;
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
      if (k + kPrefetchDistance < e)
        prefetch_floats(p.x + static_cast<Index>(p.col_idx[k + kPrefetchDistance]) * p.width,
                        p.width);
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
  // One pass over the graph per block of columns: the slice of x that a pass gathers from is
  // num_cols × block floats, small enough to stay in the last-level cache when x itself is not.
  const Index block = p.column_block > 0 ? p.column_block : column_block_for(p.num_cols, p.width);
  for (Index f0 = 0; f0 < p.width; f0 += block) {
    const Index f1 = std::min(p.width, f0 + block);
    detail::parallel_over_rows(p.row_ptr, p.num_rows, f1 - f0, [&](Index lo, Index hi) {
      kernel_detail::sum_rows_one_head(p, weight, lo, hi, f0, f1);
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
    kernel_detail::max_rows<kTrackArg>(p, weight, arg, lo, hi);
  });
}

}  // namespace moegnn::ops::cpu
