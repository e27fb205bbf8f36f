// SPDX-License-Identifier: Apache-2.0
// Deterministic reductions, row softmax and argmax on the CPU. Sums use the fixed splits of
// cpu/loops.h; maxima are exact, so only the tie rule (first element wins) has to be kept across
// the split, which the in-order combine does.
#include "core/ops/cpu/reduce.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/ops/cpu/elementwise.h"
#include "core/ops/cpu/loops.h"

namespace moegnn::ops::cpu {
namespace {

// v beats best: larger, or NaN over a number (NaN propagates like PyTorch's max).
bool beats(float v, float best) { return v > best || (std::isnan(v) && !std::isnan(best)); }

struct Best {
  float value = 0.0f;
  std::int64_t index = -1;  // -1: nothing seen yet
};

Best max_all(const float* x, Index size) {
  return deterministic_reduce(
      Index{0}, size, Best{},
      [&](Index lo, Index hi) {
        Best best{x[lo], lo};
        for (Index e = lo + 1; e < hi; ++e)
          if (beats(x[e], best.value)) best = {x[e], e};
        return best;
      },
      // Left to right, and the right side wins only when strictly better: the first maximum stays.
      [](const Best& left, const Best& right) {
        return left.index < 0 || (right.index >= 0 && beats(right.value, left.value)) ? right
                                                                                      : left;
      },
      kElementChunk);
}

// Per-column maxima over rows: fixed row blocks, each with its own running best, combined in order.
void max_over_rows(const float* x, Index m, Index n, float* out, std::int64_t* flat) {
  const Index block = std::clamp<Index>(kElementChunk / std::max<Index>(n, 1), 8, 1024);
  const Index blocks = (m + block - 1) / block;
  std::vector<float> value(static_cast<std::size_t>(blocks * n));
  std::vector<Index> row(static_cast<std::size_t>(blocks * n));
  parallel_for(
      0, blocks,
      [&](Index b) {
        float* bv = value.data() + b * n;
        Index* br = row.data() + b * n;
        const Index lo = b * block;
        const Index hi = std::min(m, lo + block);
        std::copy(x + lo * n, x + (lo + 1) * n, bv);
        std::fill(br, br + n, lo);
        for (Index i = lo + 1; i < hi; ++i)
          for (Index j = 0; j < n; ++j)
            if (beats(x[i * n + j], bv[j])) {
              bv[j] = x[i * n + j];
              br[j] = i;
            }
      },
      1);
  const float* v = value.data();
  for (Index j = 0; j < n; ++j) {
    Index best = j;  // position in the partial arrays: block · n + j
    for (Index b = 1; b < blocks; ++b)
      if (beats(v[b * n + j], v[best])) best = b * n + j;
    out[j] = v[best];
    flat[j] = row[static_cast<std::size_t>(best)] * n + j;
  }
}

Index first_max(const float* row, Index n) {
  Index best = 0;
  for (Index j = 1; j < n; ++j)
    if (beats(row[j], row[best])) best = j;
  return best;
}

}  // namespace

void sum(const Tensor& x, Over over, Tensor& out) {
  const Index m = x.rows();
  const Index n = x.cols();
  const float* px = x.data();
  float* po = out.data();
  switch (over) {
  case Over::All:
    po[0] = static_cast<float>(chunked_sum(x.size(), [px](Index e) { return px[e]; }));
    break;
  case Over::Rows:
    column_reduce(m, n, po, [&](Index i, float* acc) {
      const float* row = px + i * n;
      for (Index j = 0; j < n; ++j) acc[j] += row[j];
    });
    break;
  case Over::Cols:
    for_each_row_block(m, n, [&](Index lo, Index hi) {
      for (Index i = lo; i < hi; ++i)
        po[i] = static_cast<float>(lane_sum(i * n, (i + 1) * n, [px](Index e) { return px[e]; }));
    });
    break;
  }
}

void max(const Tensor& x, Over over, Tensor& out, std::int64_t* flat) {
  const Index m = x.rows();
  const Index n = x.cols();
  const float* px = x.data();
  float* po = out.data();
  switch (over) {
  case Over::All: {
    const Best best = max_all(px, x.size());
    po[0] = best.value;
    flat[0] = best.index;
    break;
  }
  case Over::Rows:
    max_over_rows(px, m, n, po, flat);
    break;
  case Over::Cols:
    for_each_row_block(m, n, [&](Index lo, Index hi) {
      for (Index i = lo; i < hi; ++i) {
        const Index j = first_max(px + i * n, n);
        po[i] = px[i * n + j];
        flat[i] = i * n + j;
      }
    });
    break;
  }
}

void softmax_rows(const Tensor& x, Tensor& out, bool log) {
  const Index n = x.cols();
  if (n == 0) return;
  const float* px = x.data();
  float* po = out.data();
  for_each_row_block(x.rows(), n, [&](Index lo, Index hi) {
    for (Index i = lo; i < hi; ++i) {
      const ConstArrayMap xi(px + i * n, n);
      ArrayMap yi(po + i * n, n);
      const float shift = xi.maxCoeff();  // the largest exponent becomes 0: no overflow
      yi = (xi - shift).exp();
      const double total = lane_sum(0, n, [&](Index j) { return yi[j]; });
      if (log) {  // (x - shift) is exact; subtracting shift + log Σ at once would round at |shift|
        yi = (xi - shift) - static_cast<float>(std::log(total));
      } else {
        yi *= static_cast<float>(1.0 / total);
      }
    }
  });
}

void softmax_rows_backward(const Tensor& y, const Tensor& g, Tensor& dx, bool log) {
  const Index n = y.cols();
  if (n == 0) return;
  const float* py = y.data();
  const float* pg = g.data();
  float* pd = dx.data();
  for_each_row_block(y.rows(), n, [&](Index lo, Index hi) {
    for (Index i = lo; i < hi; ++i) {
      const ConstArrayMap yi(py + i * n, n);
      const ConstArrayMap gi(pg + i * n, n);
      ArrayMap di(pd + i * n, n);
      if (log) {  // y = x - lse: dx = g - softmax(x)·Σg, softmax(x) = e^y
        const auto total = static_cast<float>(lane_sum(0, n, [&](Index j) { return gi[j]; }));
        di += gi - yi.exp() * total;
      } else {  // dx = y ⊙ (g - <g, y>)
        const auto dot = static_cast<float>(lane_sum(0, n, [&](Index j) { return gi[j] * yi[j]; }));
        di += yi * (gi - dot);
      }
    }
  });
}

void argmax_rows(const Tensor& x, std::int32_t* out) {
  const Index n = x.cols();
  const float* px = x.data();
  for_each_row_block(x.rows(), n, [&](Index lo, Index hi) {
    for (Index i = lo; i < hi; ++i) out[i] = static_cast<std::int32_t>(first_max(px + i * n, n));
  });
}

}  // namespace moegnn::ops::cpu
